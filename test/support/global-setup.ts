// Integration tests talk to a real distribution registry on loopback, started once here and stopped at the end.
// Docker and the tools come from scripts/setup.sh (run by `npm test`).
import type { TestProject } from "vitest/node";
import { startRegistry } from "./registry.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = await startRegistry();
  project.provide("registry", registry.addr);
  return async () => registry.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    registry: string;
  }
}
