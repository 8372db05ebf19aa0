// Reads one file and finds its image references; a file that cannot be read or parsed becomes an error value,
// so the other files are still pinned (issue 4). Compose files read their env files as docker compose does (issue 15).
import fs from "node:fs";
import path from "node:path";
import { findComposeRefs, type ComposeVars } from "./compose.js";
import { findDockerfileRefs } from "./dockerfile.js";
import { readEnvText, type EnvFile } from "./env-file.js";
import { fileKind, type FileKind } from "./file-kind.js";
import type { DefinedVar } from "./interpolate.js";
import type { FoundRef } from "./refs.js";

export type { FileKind };

export interface ScanOptions {
  /** `--env-file` paths; without them a compose file reads the `.env` beside it, when there is one */
  envFiles?: string[];
}

export interface ScannedFile {
  file: string;
  kind: FileKind;
  text?: string;
  error?: string;
  refs: FoundRef[];
  /** the env files read for this compose file */
  envFiles?: EnvFile[];
}

/** The references of a file's text; throws when the text cannot be parsed. */
export function scanText(file: string, text: string, opts: ScanOptions = {}): { kind: FileKind; refs: FoundRef[]; env?: ComposeVars } {
  const kind = fileKind(file, text);
  if (kind === "dockerfile") return { kind, refs: findDockerfileRefs(text) };
  const env = composeVars(file, opts);
  return { kind, refs: findComposeRefs(text, env), env };
}

/** `--env-file` replaces the project's `.env`, as with `docker compose --env-file` (later files win). */
export function composeVars(file: string, opts: ScanOptions): ComposeVars {
  const beside = path.join(path.dirname(file), ".env");
  const paths = opts.envFiles?.length ? opts.envFiles : fs.existsSync(beside) ? [beside] : [];
  const vars = new Map<string, DefinedVar>();
  const files = paths.map((p) => {
    let text: string;
    try {
      text = fs.readFileSync(p, "utf8");
    } catch (err) {
      throw new Error(`cannot read env file ${p}: ${(err as Error).message}`);
    }
    const env = { file: p, text };
    readEnvText(env, vars);
    return env;
  });
  return { vars, files };
}

export function scanFile(file: string, opts: ScanOptions = {}): ScannedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    return { file, kind: fileKind(file, ""), error: `cannot read: ${(err as Error).message}`, refs: [] };
  }
  try {
    const { kind, refs, env } = scanText(file, text, opts);
    return { file, kind, text, refs: refs.sort((a, b) => a.line - b.line), ...(env ? { envFiles: env.files } : {}) };
  } catch (err) {
    return { file, kind: fileKind(file, text), error: (err as Error).message, refs: [] };
  }
}
