// Image reference parsing with the engine's normalisation (issue 4): `postgres` -> docker.io/library/postgres,
// a first path part with "." or ":" or "localhost" is a registry host, the tag is split on the last ":" after the last "/".
import { isIPv4 } from "node:net";
import { ANY_DIGEST, TAG } from "./patterns.js";

export interface ImageRef {
  registry: string;
  /** Repository path inside the registry, e.g. library/postgres. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = "docker.io";
const PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function parseRef(input: string): ImageRef {
  let rest = input.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!ANY_DIGEST.test(digest)) throw new Error(`invalid digest in image reference "${input}"`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error(`invalid tag "${tag}" in image reference "${input}"`);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const isHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = isHost ? first : DOCKER_HUB;
  let repository = isHost ? rest.slice(slash + 1) : rest;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  if (!PATH_RE.test(repository)) throw new Error(`invalid repository name "${repository}" in image reference "${input}"`);
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Fully qualified repository, e.g. localhost:5000/demo/hello-world or docker.io/library/postgres. */
export function repoName(ref: Pick<ImageRef, "registry" | "repository">): string {
  return `${ref.registry}/${ref.repository}`;
}

export function isDigest(s: string): boolean {
  return ANY_DIGEST.test(s);
}

/** The host to talk HTTP to: Docker Hub's registry API lives on registry-1.docker.io. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
}

/**
 * Plain HTTP for the hosts crane reaches without --insecure (v0.21.9 pkg/name/registry.go, Scheme): localhost and
 * *.localhost, 127.0.0.1, [::1] and RFC 1918 addresses. Not `.local` or other 127.x: crane uses https there.
 */
export function isPlainHttp(registry: string): boolean {
  const host = registry.replace(/:\d{1,5}$/, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "127.0.0.1" ||
    host === "[::1]" ||
    (isIPv4(host) && /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host))
  );
}
