// A keep-alive client for the registry read path: one process fetching hundreds of manifests and configs
// (issue 2's speed goal rules out a crane process per tag). Credentials come from the registry's pinroll.yml entry
// (issue 9: basic or the Bearer token flow, its ca_file trusted), else from crane (`crane auth`).
import { createHash } from "node:crypto";
import type https from "node:https";
import { registryAccess, type RegistryAccess } from "../config/registries.js";
import { RegistryError, classifyRegistryText } from "../errors.js";
import { craneCmd, runCrane } from "../tools/crane.js";
import { send, type HttpResponse } from "../tools/http.js";
import { apiHost, isPlainHttp } from "../image/ref.js";
import { accessAgent, basicAuth, bearerToken } from "./token.js";

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

export type Response = HttpResponse;

export class RegistryClient {
  private base: string;
  /** RFC 1918 hosts: https first, plain http when TLS is not spoken there (what crane does). */
  private fallbackHttp: boolean;
  private authHeader: Promise<string | undefined> | undefined;
  private readonly access: RegistryAccess | undefined;
  private readonly agent: https.Agent | undefined;

  constructor(
    readonly registry: string,
    private readonly repository: string,
  ) {
    this.access = registryAccess(registry);
    this.agent = this.access ? accessAgent(this.access) : undefined;
    const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$|\.localhost(:\d+)?$/.test(registry);
    // An entry says how the registry speaks: TLS unless `insecure: true`, loopback included.
    const plain = this.access ? this.access.insecure : loopback;
    this.fallbackHttp = !this.access && isPlainHttp(registry) && !loopback;
    this.base = `${plain ? "http" : "https"}://${apiHost(registry)}`;
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

  /**
   * Every tag of the repository. No page size is asked for (issue 14: crane's n=1000 pages cost distribution a walk of
   * every tag per page, quadratic at 5,000 tags); a registry that pages anyway is followed along its Link headers.
   */
  async tags(): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${this.repository}/tags/list`;
    for (let pages = 0; next && pages < 10_000; pages++) {
      const res = await this.get(next, { accept: "application/json" });
      const body = JSON.parse(res.body.toString("utf8")) as { tags?: string[] | null };
      for (const tag of body.tags ?? []) tags.push(tag);
      next = nextPage([res.headers.link ?? []].flat().join(", "), this.base);
    }
    return tags;
  }

  async blobJson(digest: string): Promise<Record<string, unknown>> {
    const res = await this.get(`/v2/${this.repository}/blobs/${digest}`, {});
    return JSON.parse(res.body.toString("utf8")) as Record<string, unknown>;
  }

  private async get(path: string, headers: Record<string, string>): Promise<Response> {
    return this.send("GET", path, headers);
  }

  private async send(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    // No await before the first request: it goes out before whatever the caller runs next (issue 14).
    const auth = this.authHeader ? await this.authHeader : undefined;
    let res: Response;
    try {
      res = await request(method, this.base + path, auth ? { ...headers, authorization: auth } : headers, this.registry, this.agent);
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
      if (header) res = await request(method, this.base + path, { ...headers, authorization: header }, this.registry, this.agent);
    }
    for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.location && hops < 5; hops++) {
      // Blob storage redirects (S3 and friends) must not receive the registry's credentials.
      res = await request(method, new URL(res.headers.location, this.base + path).toString(), {}, this.registry, this.agent);
    }
    if (res.status >= 400) throw this.fault(res, path);
    return res;
  }

  private async login(challenge: string): Promise<string | undefined> {
    if (this.access) return this.accessLogin(challenge, this.access);
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

  /** issue 9: the entry's credentials, never over plain HTTP; a token server refusing them is a refused login. */
  private async accessLogin(challenge: string, access: RegistryAccess): Promise<string | undefined> {
    if (access.insecure || !access.username || !access.password) return undefined;
    if (/^basic/i.test(challenge)) return basicAuth(access);
    if (!/^bearer/i.test(challenge)) return undefined;
    const token = await bearerToken(challenge, access, (url, headers) => request("GET", url, headers, this.registry, this.agent));
    if (typeof token === "string") return `Bearer ${token}`;
    throw new RegistryError(
      "login-refused",
      this.registry,
      `registry ${this.registry} refused the login of user ${access.username} (token server: ${token.status})`,
    );
  }

  private fault(res: Response, path: string): RegistryError {
    const text = `${res.status} ${res.body.toString("utf8").slice(0, 500)}`;
    const classified = classifyRegistryText(text);
    const fault = classified === "auth" && res.status === 401 && this.access?.username ? "login-refused" : classified;
    if (fault === "login-refused")
      return new RegistryError(fault, this.registry, `registry ${this.registry} refused the login of user ${this.access?.username}`, text);
    const what = `${this.registry}/${this.repository}${path.includes("/manifests/") ? `:${path.split("/manifests/")[1]}` : ""}`;
    return new RegistryError(fault, this.registry, `${what}: ${fault === "not-found" ? "not found" : text}`, text);
  }
}

/** The path of the next page from an RFC 5988 `Link: <...>; rel="next"` header (relative or on the same host). */
export function nextPage(link: string | undefined, base: string): string | undefined {
  const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? "")?.[1];
  if (!target) return undefined;
  const url = new URL(target, base);
  return url.pathname + url.search;
}

function headerDigest(res: Response): string | undefined {
  const value = res.headers["docker-content-digest"];
  return typeof value === "string" && value.startsWith("sha256:") ? value : undefined;
}

export async function request(
  method: string,
  url: string,
  headers: Record<string, string>,
  registry: string,
  agent?: https.Agent,
): Promise<Response> {
  try {
    return await send({ method, url, headers, ...(agent ? { agent } : {}), deadlineMs: 30_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const fault = classifyRegistryText(String(e.code ?? e.message));
    const said: Partial<Record<typeof fault, string>> = {
      "untrusted-cert": `registry ${registry}: its TLS certificate is signed by an unknown authority`,
      "expired-cert": `registry ${registry}: its TLS certificate has expired (or is not yet valid)`,
    };
    throw new RegistryError(fault, registry, said[fault] ?? `registry ${registry} unreachable: ${e.message}`, e.message);
  }
}
