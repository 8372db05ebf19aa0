// Reads one file and finds its image references; a file that cannot be read or parsed becomes an error value,
// so the other files are still pinned (issue 4).
import fs from "node:fs";
import path from "node:path";
import { findComposeRefs } from "./compose.js";
import { findDockerfileRefs } from "./dockerfile.js";
import type { FoundRef } from "./refs.js";

export type FileKind = "compose" | "dockerfile";

export interface ScannedFile {
  file: string;
  kind: FileKind;
  text?: string;
  error?: string;
  refs: FoundRef[];
}

/** Dockerfile by name (Dockerfile, Dockerfile.dev, app.dockerfile, Containerfile), YAML by extension, else by content. */
export function fileKind(file: string, text: string): FileKind {
  const base = path.basename(file).toLowerCase();
  if (/^(docker|container)file\b/.test(base) || /\.(docker|container)file$/.test(base)) return "dockerfile";
  if (/\.ya?ml$/.test(base)) return "compose";
  return /^\s*FROM\s+\S/im.test(text) ? "dockerfile" : "compose";
}

export function scanFile(file: string): ScannedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    return { file, kind: fileKind(file, ""), error: `cannot read: ${(err as Error).message}`, refs: [] };
  }
  const kind = fileKind(file, text);
  try {
    const refs = kind === "dockerfile" ? findDockerfileRefs(text) : findComposeRefs(text);
    return { file, kind, text, refs: refs.sort((a, b) => a.line - b.line) };
  } catch (err) {
    return { file, kind, error: (err as Error).message, refs: [] };
  }
}
