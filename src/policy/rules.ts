// The policy rules for one image reference (seed 002, Enforcement): approved registries, approved tag patterns,
// no `latest` in production manifests, and (when asked) a digest on every reference. Pure: reference in, findings out.
import { globMatcher } from "../fs/glob.js";
import { DEFAULT_POLICY_TAG_PATTERN } from "../config/schema.js";
import { DOCKER_HUB, parseRef, repoName, type ImageRef } from "../image/ref.js";

export type Rule = "invalid-reference" | "allowed-registries" | "tag-pattern" | "no-latest" | "require-digest";

export interface Finding {
  rule: Rule;
  message: string;
  fix: string;
}

export interface RuleContext {
  allowedRegistries?: readonly string[] | undefined;
  tagPattern: string;
  /** the file matches policy.production_files */
  production: boolean;
  requireDigest: boolean;
  /** the file, for fixes that name a command */
  file: string;
}

/**
 * A glob matches the normalised registry host (`*.corp.example`), the repository (`ghcr.io/acme/*`), or a leading
 * part of it (`ghcr.io/acme` allows everything under acme). `docker.io` is Docker Hub, however the file writes it.
 */
export function registryAllowed(ref: ImageRef, globs: readonly string[]): boolean {
  const repo = repoName(ref);
  const parts = repo.split("/");
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  return globs.some((g) => {
    const matches = globMatcher(g === "index.docker.io" || g === "registry-1.docker.io" ? DOCKER_HUB : g);
    return prefixes.some((p) => matches(p));
  });
}

export function checkRef(written: string, ctx: RuleContext): Finding[] {
  let ref: ImageRef;
  try {
    ref = parseRef(written);
  } catch (err) {
    return [{ rule: "invalid-reference", message: (err as Error).message, fix: "write it as [registry/]name[:tag][@sha256:digest]" }];
  }
  const findings: Finding[] = [];
  const globs = ctx.allowedRegistries;
  if (globs && !registryAllowed(ref, globs)) {
    findings.push({
      rule: "allowed-registries",
      message: `${repoName(ref)} is not from an allowed registry (${globs.join(", ")})`,
      fix: `use an image from an allowed registry (mirror it there), or add ${ref.registry} to policy.allowed_registries`,
    });
  }
  // `latest`, or no tag at all (which means latest), is the no-latest rule's business only: seed 002 allows it outside production.
  const latest = ref.tag === "latest" || (!ref.tag && !ref.digest);
  if (latest && ctx.production) {
    findings.push({
      rule: "no-latest",
      message: `${ref.tag ? "latest" : "no tag (means latest)"} in a production file`,
      fix: `name the exact version: ${repoName(ref)}:<vX.Y.Z or commit SHA> (pinroll overview lists them)`,
    });
  }
  if (ref.tag && !latest && !new RegExp(ctx.tagPattern).test(ref.tag)) {
    findings.push({
      rule: "tag-pattern",
      message: `tag ${ref.tag} does not match policy.tag_pattern ${ctx.tagPattern}`,
      fix: `use a tag matching it${ctx.tagPattern === DEFAULT_POLICY_TAG_PATTERN ? " (vX.Y.Z, env-<env> or a commit SHA)" : ""}, or widen policy.tag_pattern`,
    });
  }
  if (ctx.requireDigest && !ref.digest) {
    findings.push({
      rule: "require-digest",
      message: "not pinned by digest (policy.require_digest)",
      fix: `pin it: pinroll pin ${ctx.file} (writes name:tag@sha256:...)`,
    });
  }
  return findings;
}
