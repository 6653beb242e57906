// test/mock-setup.ts: one mock for the whole run; tests read its URL and keys with inject().
import { startMockServer } from "@anh-moe/mock-server";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const mock = await startMockServer(); // a free port, anh.moe preset, in memory
  project.provide("mockUrl", mock.url);
  project.provide("guestKey", mock.guestKey ?? "");
  return () => mock.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
    guestKey: string;
  }
}
