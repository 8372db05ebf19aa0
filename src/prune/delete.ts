// Deleting pruned images with `crane delete REPO@DIGEST`: the manifest goes, and with it every tag on it; the blobs
// stay until the registry's garbage collector runs. A registry that refuses deletes is reported once, not per tag.
import { InternalError, RegistryError } from "../errors.js";
import { RegistryClient } from "../registry/http.js";
import type { ImageRef } from "../image/ref.js";
import { parseSignatureTag } from "../registry/signature-tags.js";
import { listTags } from "../registry/tags.js";
import { craneCmd, runCrane } from "../tools/crane.js";

export interface Deleted {
  tag: string;
  digest: string;
}

export interface DeleteOutcome {
  deleted: Deleted[];
  failed: { digest: string; tags: string[]; error: string }[];
  /** set when a fault would repeat for every image (deletes disabled, no permission, registry down): said once */
  stopped: string | null;
}

export const deleteCommand = (repo: string, digest: string) => craneCmd.delete(`${repo}@${digest}`);

/** `byDigest`: digest -> its tags, all candidates. `protectedDigests` is checked again here: a bug upstream must not delete a live image. */
export async function deleteImages(repo: string, byDigest: Map<string, string[]>, protectedDigests: Set<string>): Promise<DeleteOutcome> {
  const out: DeleteOutcome = { deleted: [], failed: [], stopped: null };
  for (const [digest, tags] of byDigest) {
    if (protectedDigests.has(digest)) throw new InternalError(`refusing to delete protected ${digest}`);
    try {
      await runCrane(deleteCommand(repo, digest));
      out.deleted.push(...tags.map((tag) => ({ tag, digest })));
    } catch (err) {
      if (err instanceof RegistryError && err.fault === "unsupported") {
        out.stopped = `${err.host} refuses deletes (UNSUPPORTED): set storage.delete.enabled: true in its config (or REGISTRY_STORAGE_DELETE_ENABLED=true) and restart it`;
        break;
      }
      if (err instanceof RegistryError && (err.fault === "auth" || err.fault === "unreachable")) {
        out.stopped = err.hint ? `${err.message} (${err.hint})` : err.message;
        break;
      }
      out.failed.push({ digest, tags, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/**
 * Tags pushed after the listing that point at a candidate digest: deleting that digest would take them too,
 * so those digests are kept. One more tag listing, and a HEAD only for the tags that are new.
 */
export async function lateTags(image: ImageRef, seen: Set<string>, candidates: Set<string>): Promise<Map<string, string[]>> {
  const client = new RegistryClient(image.registry, image.repository);
  const late = new Map<string, string[]>();
  for (const tag of (await listTags(image)).filter((t) => !seen.has(t))) {
    // A signature pushed meanwhile names the image it signs: someone is about to ship that image (issue 12).
    const digest = parseSignatureTag(tag)?.subject ?? (await client.digest(tag));
    if (candidates.has(digest)) late.set(digest, [...(late.get(digest) ?? []), tag]);
  }
  return late;
}
