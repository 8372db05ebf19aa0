// Tag (or digest) -> release: each pinned service's tag resolved to its digest with crane, labels read for
// deploy-info. Refused before anything changes: a tag not in the registry, or one outside tag_pattern (issue 3).
import type { App } from "../config/app.js";
import { pinnedServices, readComposeServices, type PinnedService } from "../compose/file.js";
import { RegistryError, UsageError } from "../errors.js";
import { RegistryClient } from "../registry/http.js";
import { readImageInfo } from "../registry/image-info.js";
import { isDigest, parseRef, repoName, type ImageRef } from "../image/ref.js";
import { newestTagOn } from "../image/newest-tag.js";
import { appTagOptions, readTags } from "../registry/tags.js";
import { craneCmd, runCrane } from "../tools/crane.js";
import { newRelease, type Release, type ReleaseKind, type ServiceRelease } from "./release.js";
import { TAG } from "../image/patterns.js";

export interface ResolveOptions {
  allowMutable?: boolean;
  kind?: ReleaseKind;
}

/** Checks the shape of TAG|DIGEST before any network call: shell metacharacters and the like never get further. */
export function checkTagInput(input: string): void {
  if (!TAG.test(input) && !isDigest(input)) {
    throw new UsageError(`invalid tag "${input}"`, "a tag is letters, digits, _ . - (up to 128), or a digest sha256:<64 hex>");
  }
}

export function appPinnedServices(app: App): PinnedService[] {
  const pinned = pinnedServices(readComposeServices(app.composeFile), app.pin);
  if (!pinned.length) throw new UsageError(`no service of ${app.compose} matches pin: ${app.pin.join(", ")}`, "fix apps.<app>.pin");
  return pinned;
}

/** The app's image (overview, promote, prune): `image:` from the config, else the first pinned service's. */
export function appImage(app: App): ImageRef {
  return app.image ? parseRef(app.image) : appPinnedServices(app)[0]!.ref;
}

export async function resolveRelease(app: App, input: string, opts: ResolveOptions = {}): Promise<Release> {
  checkTagInput(input);
  const byDigest = isDigest(input);
  if (!byDigest && !app.tagRegex.test(input) && !opts.allowMutable) {
    throw new UsageError(
      `tag "${input}" does not match tag_pattern ${app.tag_pattern}`,
      "deploy an immutable tag, or pass --allow-mutable",
    );
  }
  const services: Record<string, ServiceRelease> = {};
  await Promise.all(
    appPinnedServices(app).map(async (s) => {
      services[s.service] = await resolveService(app, s, input, byDigest);
    }),
  );
  return newRelease(app.name, opts.kind ?? "deploy", services);
}

async function resolveService(app: App, s: PinnedService, input: string, byDigest: boolean): Promise<ServiceRelease> {
  const repo = repoName(s.ref);
  const client = new RegistryClient(s.ref.registry, s.ref.repository);
  // crane resolves (DESIGN.md); the manifest for the labels is fetched meanwhile by the same reference, and used
  // only when it is the digest crane named (a tag moved in between: fetched again by that digest).
  const early = client.manifest(input).catch(() => undefined);
  let digest: string;
  try {
    digest = (await runCrane(craneCmd.digest(`${repo}${byDigest ? "@" : ":"}${input}`))).trim();
  } catch (err) {
    if (err instanceof RegistryError && err.fault === "not-found") {
      throw new UsageError(
        `${byDigest ? "digest" : "tag"} ${input} not found in ${repo}`,
        `see the tags with: pinroll overview ${app.name}`,
      );
    }
    throw err;
  }
  const fetched = await early;
  const info = await readImageInfo(client, fetched?.digest === digest ? fetched : await client.manifest(digest), app.platform);
  const tag = byDigest ? await tagFor(app, s, digest) : input;
  return { image: repo, tag, digest, description: info.description, revision: info.revision, created: info.created };
}

/** For a deploy by digest: the newest immutable tag on that digest, so the override still reads well. */
async function tagFor(app: App, s: PinnedService, digest: string): Promise<string> {
  const tags = await readTags(s.ref, appTagOptions(app));
  return newestTagOn(tags, digest)?.tag ?? "";
}
