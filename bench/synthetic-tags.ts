// Thousands of SHA tags for bench/overview at scale (issue 14): one shared layer, then per tag a config blob with
// its OCI labels and a manifest, written with the registry's HTTP API over keep-alive at concurrency 16 (a crane
// process per tag would take minutes for 5,000).
import { createHash } from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import pLimit from "p-limit";

const BASE_TIME = Date.parse("2024-01-01T00:00:00Z");

export interface SyntheticTag {
  tag: string;
  created: string;
  description: string;
}

interface Blob {
  digest: string;
  size: number;
}

/** Pushes `count` tags to `addr/name`, newest last, plus `latest` and `env-production` on the newest. */
export async function publishSyntheticTags(addr: string, name: string, count: number): Promise<SyntheticTag[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const [host, port] = addr.split(":");
  const send = (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = http.request({ host, port: Number(port), method, path, agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) }));
      });
      req.on("error", reject);
      req.end(body);
    });
  const pushBlob = async (data: Buffer): Promise<Blob> => {
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    const start = await send("POST", `/v2/${name}/blobs/uploads/`);
    if (start.status !== 202 || !start.location) throw new Error(`blob upload start: HTTP ${start.status}`);
    const url = new URL(start.location, `http://${addr}`);
    url.searchParams.set("digest", digest);
    const put = await send("PUT", url.pathname + url.search, data, { "content-type": "application/octet-stream" });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
    return { digest, size: data.length };
  };
  const layerTar = Buffer.alloc(10240); // an empty tar archive: two zero blocks, padded
  const layer = await pushBlob(zlib.gzipSync(layerTar));
  const diffId = `sha256:${createHash("sha256").update(layerTar).digest("hex")}`;
  const limit = pLimit(16);
  const tags = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async (): Promise<SyntheticTag> => {
        const revision = createHash("sha1").update(`${name} commit ${i}`).digest("hex");
        const tag = revision.slice(0, 10);
        const created = new Date(BASE_TIME + i * 3_600_000).toISOString().replace(".000Z", "Z");
        const description = `change ${i + 1}: a commit subject of ordinary length for the overview table`;
        const config = await pushBlob(
          Buffer.from(
            JSON.stringify({
              architecture: "amd64",
              os: "linux",
              created,
              config: {
                Labels: {
                  "org.opencontainers.image.created": created,
                  "org.opencontainers.image.description": description,
                  "org.opencontainers.image.revision": revision,
                  "org.opencontainers.image.source": "https://git.example.invalid/pinroll/sample",
                  "org.opencontainers.image.version": tag,
                },
              },
              rootfs: { type: "layers", diff_ids: [diffId] },
            }),
          ),
        );
        await putManifest(send, name, tag, config, layer);
        return { tag, created, description };
      }),
    ),
  );
  const newest = tags.at(-1)!.tag;
  for (const mutable of ["latest", "env-production"]) await putManifest(send, name, mutable, undefined, layer, newest);
  agent.destroy();
  return tags;
}

type Send = (method: string, path: string, body?: Buffer, headers?: Record<string, string>) => Promise<{ status: number }>;
const cachedManifests = new Map<string, Buffer>();

/** PUTs the manifest for `config`, or, with `sameAs`, the manifest already pushed under that tag. */
async function putManifest(send: Send, name: string, tag: string, config: Blob | undefined, layer: Blob, sameAs?: string): Promise<void> {
  const type = "application/vnd.oci.image.manifest.v1+json";
  const body =
    sameAs !== undefined
      ? cachedManifests.get(`${name}:${sameAs}`)!
      : Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: type,
            config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
            layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
          }),
        );
  cachedManifests.set(`${name}:${tag}`, body);
  const res = await send("PUT", `/v2/${name}/manifests/${tag}`, body, { "content-type": type });
  if (res.status !== 201) throw new Error(`manifest ${tag}: HTTP ${res.status}`);
}
