// Where pinroll's own files are: the install root holds templates/, ansible/ and the project-local .venv/.
// Found by walking up from this module, so source (vitest), dist/src and the dist/cli bundle all agree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError } from "./errors.js";

let root: string | undefined;

export function installRoot(): string {
  if (root) return root;
  let dir = typeof __dirname === "string" ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "templates", "deploy-info.yml.hbs"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new InternalError("pinroll's templates/ not found above its code");
    dir = up;
  }
  root = dir;
  return dir;
}

/**
 * The directories pinroll's tools run from, first on a child's PATH: the tools dir every clone shares (crane, task,
 * registry, cosign; PINROLL_TOOLS_BIN moves it), then the project's virtualenv (Ansible). scripts/env.sh puts the same
 * two on a shell's PATH (test/unit/project/tool-path.test.ts holds them equal); the Taskfile sets none (issue 10).
 */
export function toolDirs(): string[] {
  return [process.env.PINROLL_TOOLS_BIN || path.join(os.homedir(), ".local/share/pinroll/bin"), path.join(installRoot(), ".venv", "bin")];
}

/** A script of the deploy role: pinroll runs the role's own shell (lib.sh, health.sh, lock.sh...) so a rule lives once. */
export function roleScript(name: string): string {
  return fs.readFileSync(path.join(installRoot(), "ansible/roles/pinroll_deploy/files", name), "utf8");
}
