import type { TestProject } from "vitest/node";
import { type GeneratedClient, generateClients } from "../../src/generate-clients.js";

/** Regenerates `generated/` from the committed document; the test files read what was written. */
export default async function setup(project: TestProject) {
  const clients = await generateClients();
  project.provide("generatedClients", clients);
}

declare module "vitest" {
  export interface ProvidedContext {
    generatedClients: GeneratedClient[];
  }
}
