// OCI labels of one image, read from the platform the app runs on when the tag is a multi-arch index (issue 2 item 6).
import type { Manifest, RegistryClient } from "./http.js";

export interface ImageInfo {
  digest: string;
  created: string;
  description: string;
  revision: string;
  source: string;
  version: string;
}

export const OCI = {
  description: "org.opencontainers.image.description",
  created: "org.opencontainers.image.created",
  revision: "org.opencontainers.image.revision",
  source: "org.opencontainers.image.source",
  version: "org.opencontainers.image.version",
} as const;

interface PlatformEntry {
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export function isIndex(m: Manifest): boolean {
  return Array.isArray(m.body.manifests);
}

/** Picks the index entry for `platform` (os/arch[/variant]); undefined when the index has none. */
export function pickPlatform(index: Manifest, platform: string): string | undefined {
  const [os, arch, variant] = platform.split("/");
  const entries = (index.body.manifests as PlatformEntry[]).filter(
    (e) => e.platform?.os === os && e.platform?.architecture === arch && (!variant || e.platform?.variant === variant),
  );
  return entries[0]?.digest;
}

export function labelsToInfo(digest: string, labels: Record<string, string> | undefined, configCreated?: unknown): ImageInfo {
  const l = labels ?? {};
  return {
    digest,
    created: l[OCI.created] ?? (typeof configCreated === "string" && !configCreated.startsWith("0001-") ? configCreated : ""),
    description: l[OCI.description] ?? "",
    revision: l[OCI.revision] ?? "",
    source: l[OCI.source] ?? "",
    version: l[OCI.version] ?? "",
  };
}

/** Reads labels for a manifest already fetched; `digest` stays the top-level digest (what a deploy pins). */
export async function readImageInfo(client: RegistryClient, top: Manifest, platform: string): Promise<ImageInfo> {
  let image = top;
  if (isIndex(top)) {
    const child = pickPlatform(top, platform);
    if (!child) return labelsToInfo(top.digest, {});
    image = await client.manifest(child);
  }
  const configDigest = (image.body.config as { digest?: string } | undefined)?.digest;
  if (!configDigest) return labelsToInfo(top.digest, {});
  const config = await client.blobJson(configDigest);
  const labels = (config.config as { Labels?: Record<string, string> } | undefined)?.Labels ?? undefined;
  return labelsToInfo(top.digest, labels ?? undefined, config.created);
}
