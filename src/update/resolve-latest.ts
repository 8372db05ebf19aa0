// One image's mutable tag (latest) -> the commit-SHA tag on the same digest (seed 000's update flow), from Docker
// Hub's API for docker.io images and from the registry itself (readTags) for every other one.
import type { App } from "../config/app.js";
import { HubError, RegistryError } from "../errors.js";
import { RegistryCache } from "../registry/cache.js";
import { RegistryClient } from "../registry/http.js";
import { readImageInfo } from "../registry/image-info.js";
import { DOCKER_HUB, repoName, type ImageRef } from "../image/ref.js";
import { isSignatureTag } from "../registry/signature-tags.js";
import { newestTagOn } from "../image/newest-tag.js";
import { appTagOptions, readTags, registryCacheDir } from "../registry/tags.js";
import { type HubClient } from "../tools/hub.js";
import type { ResolutionCache } from "./cache.js";

export interface Labels {
  description: string;
  revision: string;
  created: string;
}

export type Outcome =
  /** found the SHA tag on the digest the written tag points to */
  | { kind: "sha"; tag: string; digest: string; labels: Labels }
  /** no SHA tag on that digest: the written tag stays, pinned by its digest */
  | { kind: "kept"; tag: string; digest: string; labels: Labels; warning: string }
  | { kind: "skipped"; warning: string };

export interface ResolveContext {
  app: App;
  hub: HubClient;
  hubUrl: string;
  cache: ResolutionCache;
  /** labels for deploy-info; --check needs none */
  withLabels: boolean;
  retries: number;
  backoffMs: number;
}

export const NO_LABELS: Labels = { description: "", revision: "", created: "" };
const DOCKER_HUB_API = "https://hub.docker.com";

export async function resolveLatest(ctx: ResolveContext, ref: ImageRef, tag: string): Promise<Outcome> {
  if (isSignatureTag(tag)) return { kind: "skipped", warning: `:${tag} is a cosign signature tag, not an image, skipped` };
  return ref.registry === DOCKER_HUB ? fromHub(ctx, ref, tag) : fromRegistry(ctx, ref, tag);
}

async function fromHub(ctx: ResolveContext, ref: ImageRef, tag: string): Promise<Outcome> {
  const repo = repoName(ref);
  try {
    const digest = await ctx.hub.tagDigest(ref.repository, tag);
    if (!digest) return { kind: "skipped", warning: `Docker Hub has no digest for :${tag}, skipped` };
    const wanted = (t: string) => !isSignatureTag(t) && ctx.app.tagRegex.test(t);
    const sha = wanted(tag) ? tag : (ctx.cache.get(repo, digest) ?? (await ctx.hub.findTag(ref.repository, digest, wanted)));
    if (sha && sha !== tag) ctx.cache.set(repo, digest, sha);
    const labels = ctx.withLabels ? await hubLabels(ctx, ref, digest) : NO_LABELS;
    return sha ? { kind: "sha", tag: sha, digest, labels } : kept(tag, digest, labels);
  } catch (err) {
    if (err instanceof HubError) return { kind: "skipped", warning: err.fault === "not-found" ? "Image not found, skipped" : err.message };
    throw err;
  }
}

async function fromRegistry(ctx: ResolveContext, ref: ImageRef, tag: string): Promise<Outcome> {
  const { app } = ctx;
  for (let failures = 0; ; failures++) {
    try {
      const tags = await readTags(ref, appTagOptions(app));
      const written = tags.find((t) => t.tag === tag);
      if (!written) return { kind: "skipped", warning: "Image not found, skipped" };
      const labels = { description: written.description, revision: written.revision, created: written.created };
      // Several SHA tags on one digest (a rebuild of the same tree): the newest, as `deploy DIGEST` picks.
      const sha = newestTagOn(tags, written.digest);
      return sha ? { kind: "sha", tag: sha.tag, digest: written.digest, labels } : kept(tag, written.digest, labels);
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      if (err.fault === "not-found") return { kind: "skipped", warning: "Image not found, skipped" };
      const transient = err.fault === "unreachable" || err.fault === "rate-limited";
      if (!transient) return { kind: "skipped", warning: `${err.message}, skipped` };
      if (failures >= ctx.retries) return { kind: "skipped", warning: `Registry ${err.host} unreachable after ${ctx.retries} retries` };
      await new Promise((r) => setTimeout(r, ctx.backoffMs));
    }
  }
}

function kept(tag: string, digest: string, labels: Labels): Outcome {
  return { kind: "kept", tag, digest, labels, warning: `No commit-SHA tag found, keeping :${tag}` };
}

/**
 * Labels come from the registry behind Docker Hub (registry-1.docker.io). Only when hub_url is Docker Hub itself:
 * another hub_url (a test server, a mirror of the API) says nothing about which registry holds the images.
 */
async function hubLabels(ctx: ResolveContext, ref: ImageRef, digest: string): Promise<Labels> {
  if (new URL(ctx.hubUrl).origin !== DOCKER_HUB_API) return NO_LABELS;
  const { platform, stateDir } = ctx.app;
  const cache = RegistryCache.load(registryCacheDir(stateDir), repoName(ref), false);
  const hit = cache.image(digest, platform);
  if (hit) return { description: hit.description, revision: hit.revision, created: hit.created };
  try {
    const client = new RegistryClient(ref.registry, ref.repository);
    const info = await readImageInfo(client, await client.manifest(digest), platform);
    cache.remember(undefined, info, platform);
    cache.save();
    return { description: info.description, revision: info.revision, created: info.created };
  } catch {
    return NO_LABELS; // labels are context for humans; the pin does not depend on them
  }
}
