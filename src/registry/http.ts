// A keep-alive client for the registry read path: one process fetching hundreds of manifests and configs
// (issue 2's speed goal rules out a crane process per tag). Credentials still come from crane (`crane auth`).
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { RegistryError, classifyRegistryText } from "../errors.js";
import { craneCmd, runCrane } from "../tools/crane.js";
import { apiHost, isPlainHttp } from "./ref.js";

export const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export interface Manifest {
  digest: string;
  mediaType: string;
  body: Record<string, unknown>;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export class RegistryClient {
  private base: string;
  /** RFC 1918 hosts: https first, plain http when TLS is not spoken there (what crane does). */
  private fallbackHttp: boolean;
  private authHeader: Promise<string | undefined> | undefined;

  constructor(
    readonly registry: string,
    private readonly repository: string,
  ) {
    const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$|\.localhost(:\d+)?$/.test(registry);
    this.fallbackHttp = isPlainHttp(registry) && !loopback;
    this.base = `${loopback ? "http" : "https"}://${apiHost(registry)}`;
  }

  async manifest(reference: string): Promise<Manifest> {
    const res = await this.get(`/v2/${this.repository}/manifests/${reference}`, { accept: MANIFEST_TYPES });
    const body = JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
    const digest = headerDigest(res) ?? `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    const mediaType = String(res.headers["content-type"] ?? body.mediaType ?? "").split(";")[0] ?? "";
    return { digest, mediaType, body };
  }

  /** The digest a tag points to, from a HEAD (no body). */
  async digest(reference: string): Promise<string> {
    const res = await this.send("HEAD", `/v2/${this.repository}/manifests/${reference}`, { accept: MANIFEST_TYPES });
    return headerDigest(res) ?? (await this.manifest(reference)).digest;
  }

  async blobJson(digest: string): Promise<Record<string, unknown>> {
    const res = await this.get(`/v2/${this.repository}/blobs/${digest}`, {});
    return JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
  }

  private async get(path: string, headers: Record<string, string>): Promise<Response> {
    return this.send("GET", path, headers);
  }

  private async send(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    const auth = await this.authHeader;
    let res: Response;
    try {
      res = await request(method, this.base + path, auth ? { ...headers, authorization: auth } : headers, this.registry);
    } catch (err) {
      if (!this.fallbackHttp) throw err;
      this.fallbackHttp = false;
      this.base = this.base.replace(/^https:/, "http:");
      return this.send(method, path, headers);
    }
    this.fallbackHttp = false;
    if (res.status === 401 && !auth) {
      this.authHeader ??= this.login(String(res.headers["www-authenticate"] ?? ""));
      const header = await this.authHeader;
      if (header) res = await request(method, this.base + path, { ...headers, authorization: header }, this.registry);
    }
    for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.location && hops < 5; hops++) {
      // Blob storage redirects (S3 and friends) must not receive the registry's credentials.
      res = await request(method, new URL(res.headers.location, this.base + path).toString(), {}, this.registry);
    }
    if (res.status >= 400) throw this.fault(res, path);
    return res;
  }

  private async login(challenge: string): Promise<string | undefined> {
    if (/^bearer/i.test(challenge)) {
      const out = await runCrane(craneCmd.authToken(`${this.registry}/${this.repository}`));
      return /Bearer\s+\S+/.exec(out)?.[0] ?? undefined;
    }
    if (/^basic/i.test(challenge)) {
      const out = await runCrane({ tool: "crane", argv: ["auth", "get", this.registry] });
      const { Username, Secret } = JSON.parse(out) as { Username?: string; Secret?: string };
      if (Username && Secret) return `Basic ${Buffer.from(`${Username}:${Secret}`).toString("base64")}`;
    }
    return undefined;
  }

  private fault(res: Response, path: string): RegistryError {
    const text = `${res.status} ${res.body.toString("utf8").slice(0, 500)}`;
    const fault = classifyRegistryText(text);
    const what = `${this.registry}/${this.repository}${path.includes("/manifests/") ? `:${path.split("/manifests/")[1]}` : ""}`;
    return new RegistryError(fault, this.registry, `${what}: ${fault === "not-found" ? "not found" : text}`, text);
  }
}

function headerDigest(res: Response): string | undefined {
  const value = res.headers["docker-content-digest"];
  return typeof value === "string" && value.startsWith("sha256:") ? value : undefined;
}

function request(method: string, url: string, headers: Record<string, string>, registry: string): Promise<Response> {
  const u = new URL(url);
  const mod = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method, headers, agent: u.protocol === "https:" ? agents.https : agents.http, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`ETIMEDOUT talking to ${registry}`)));
    req.on("error", (err) => {
      const fault = classifyRegistryText(String((err as NodeJS.ErrnoException).code ?? err.message));
      reject(new RegistryError(fault, registry, `registry ${registry} unreachable: ${err.message}`, err.message));
    });
    req.end();
  });
}
