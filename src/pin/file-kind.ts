// Which files are Dockerfiles and which are compose files: the one rule `pin` and `policy check` share (issue 10).
import path from "node:path";

export type FileKind = "compose" | "dockerfile";

/**
 * Dockerfile by name (Dockerfile, Dockerfile.prod, Dockerfile-prod, Dockerfile_prod, app.dockerfile, Containerfile),
 * compose by a YAML extension, else by content: a FROM instruction makes it a Dockerfile.
 */
export function fileKind(file: string, text: string): FileKind {
  const base = path.basename(file).toLowerCase();
  if (/^(docker|container)file([._-].*)?$/.test(base) || /[._-](docker|container)file$/.test(base)) return "dockerfile";
  if (/\.ya?ml$/.test(base)) return "compose";
  return /^\s*FROM\s+\S/im.test(text) ? "dockerfile" : "compose";
}
