// The vitest global setup of packages/mock-server/README.md ("Embedding it in your tests"), as documented.
import { startMockServer } from "@anh-moe/mock-server";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const mock = await startMockServer();
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
