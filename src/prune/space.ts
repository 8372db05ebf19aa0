// The space a prune would free, from manifests alone: the blobs (layers and configs) of the deleted images that no
// kept image references. Blobs shared with other repositories are freed only if nothing else uses them, so "up to".
import pLimit from "p-limit";
import { RegistryError } from "../errors.js";
import type { Manifest, RegistryClient } from "../registry/http.js";

/** blob digest -> size */
export type Blobs = Map<string, number>;

interface Descriptor {
  digest?: string;
  size?: number;
}

/** Every blob of an image, through an index's children (all platforms: garbage collection frees them all). */
export async function imageBlobs(client: RegistryClient, digest: string): Promise<Blobs> {
  const blobs: Blobs = new Map();
  const visit = async (m: Manifest, depth: number): Promise<void> => {
    const children = m.body.manifests as Descriptor[] | undefined;
    if (Array.isArray(children)) {
      if (depth > 2) return;
      for (const c of children) if (c.digest) await visit(await client.manifest(c.digest), depth + 1);
      return;
    }
    const config = m.body.config as Descriptor | undefined;
    for (const d of [config, ...((m.body.layers as Descriptor[] | undefined) ?? [])]) {
      if (d?.digest && typeof d.size === "number") blobs.set(d.digest, d.size);
    }
  };
  await visit(await client.manifest(digest), 0);
  return blobs;
}

/** Sum of the sizes of blobs in `deleted` images that no `kept` image has. Pure. */
export function freedBytes(deleted: Blobs[], kept: Blobs[]): number {
  const keptBlobs = new Set(kept.flatMap((b) => [...b.keys()]));
  const freed = new Map<string, number>();
  for (const b of deleted) for (const [digest, size] of b) if (!keptBlobs.has(digest)) freed.set(digest, size);
  return [...freed.values()].reduce((a, b) => a + b, 0);
}

/** null when any manifest cannot be read: a partial sum would understate what stays. */
export async function estimateFreed(client: RegistryClient, deleted: string[], kept: string[]): Promise<number | null> {
  const limit = pLimit(16);
  const read = (digests: string[]) => Promise.all(digests.map((d) => limit(() => imageBlobs(client, d))));
  // A kept digest the registry no longer has (live from an older registry state) holds on to nothing.
  const readKept = (digests: string[]) =>
    Promise.all(
      digests.map((d) =>
        limit(() =>
          imageBlobs(client, d).catch((e: unknown) =>
            e instanceof RegistryError && e.fault === "not-found" ? new Map() : Promise.reject(e),
          ),
        ),
      ),
    );
  try {
    const [gone, stay] = await Promise.all([read(deleted), readKept(kept)]);
    return freedBytes(gone, stay);
  } catch {
    return null;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
