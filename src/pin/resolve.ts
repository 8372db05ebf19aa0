// Tag -> digest for every reference to pin, each distinct tag once, 8 at a time over keep-alive clients (issue 4).
import pLimit from "p-limit";
import { RegistryError, errorLine } from "../errors.js";
import { RegistryClient } from "../registry/http.js";
import { isIndex, pickPlatform } from "../registry/image-info.js";
import { repoName, type ImageRef } from "../image/ref.js";

export interface Resolution {
  digest?: string;
  error?: string;
}

export interface ResolveOptions {
  /** os/arch[/variant]: pin that platform's manifest instead of the multi-arch index */
  platform?: string;
  concurrency?: number;
}

/** What a reference resolves by: its repository and tag (`latest` when none is written, as the engine does). */
export function resolveKey(ref: ImageRef): string {
  return `${repoName(ref)}:${ref.tag ?? "latest"}`;
}

/**
 * Resolves each distinct tag. A missing tag or refused credentials are per-reference results; any other
 * registry fault (unreachable, rate limited) is thrown: nothing is written on a half-resolved run.
 */
export async function resolveDigests(refs: ImageRef[], opts: ResolveOptions = {}): Promise<Map<string, Resolution>> {
  const unique = new Map(refs.map((r) => [resolveKey(r), r]));
  const clients = new Map<string, RegistryClient>();
  const clientFor = (r: ImageRef) => {
    const name = repoName(r);
    if (!clients.has(name)) clients.set(name, new RegistryClient(r.registry, r.repository));
    return clients.get(name)!;
  };
  const limit = pLimit(opts.concurrency ?? 8);
  const resolveOne = async (key: string, ref: ImageRef): Promise<[string, Resolution]> => {
    try {
      return [key, await resolveTag(clientFor(ref), ref, opts.platform)];
    } catch (err) {
      if (err instanceof RegistryError && (err.fault === "not-found" || err.fault === "auth")) return [key, { error: errorLine(err) }];
      limit.clearQueue();
      throw err;
    }
  };
  return new Map(await Promise.all([...unique].map(([key, ref]) => limit(() => resolveOne(key, ref)))));
}

async function resolveTag(client: RegistryClient, ref: ImageRef, platform: string | undefined): Promise<Resolution> {
  const tag = ref.tag ?? "latest";
  // A HEAD accepting every manifest type answers with the index digest when the tag is multi-arch.
  if (!platform) return { digest: await client.digest(tag) };
  const top = await client.manifest(tag);
  if (!isIndex(top)) return { digest: top.digest };
  const child = pickPlatform(top, platform);
  return child ? { digest: child } : { error: `${resolveKey(ref)} has no ${platform} image in its index` };
}
