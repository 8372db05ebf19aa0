// Registry login with a pinroll.yml entry (issue 9): basic auth, or the Docker registry token flow (a Bearer
// challenge's realm asked for a token with the entry's credentials), over TLS trusting the entry's ca_file.
import https from "node:https";
import tls from "node:tls";
import type { RegistryAccess } from "../config/registries.js";

const agents = new Map<string, https.Agent>();

/** A keep-alive agent per registry with an own CA: the public roots plus ca_file (Node's `ca` replaces the roots). */
export function accessAgent(access: RegistryAccess): https.Agent | undefined {
  if (!access.caPem) return undefined;
  let agent = agents.get(access.host);
  if (!agent)
    agents.set(access.host, (agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: [...tls.rootCertificates, access.caPem] })));
  return agent;
}

export function basicAuth(access: RegistryAccess): string | undefined {
  if (!access.username || !access.password) return undefined;
  return `Basic ${Buffer.from(`${access.username}:${access.password.reveal()}`).toString("base64")}`;
}

/** `Bearer realm="https://auth/token",service="registry",scope="repository:a/b:pull"` -> its parameters. */
export function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.replace(/^\s*bearer\s+/i, "").matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
}

type Get = (url: string, headers: Record<string, string>) => Promise<{ status: number; body: Buffer }>;

/** The token for a Bearer challenge, or the token server's refusal (its HTTP status). */
export async function bearerToken(challenge: string, access: RegistryAccess, get: Get): Promise<string | { status: number }> {
  const { realm, service, scope } = challengeParams(challenge);
  if (!realm) return { status: 0 };
  const url = new URL(realm);
  if (service) url.searchParams.set("service", service);
  if (scope) url.searchParams.set("scope", scope);
  if (url.protocol !== "https:") return { status: 0 }; // credentials never over plain HTTP
  const auth = basicAuth(access);
  const res = await get(url.toString(), auth ? { authorization: auth } : {});
  if (res.status !== 200) return { status: res.status };
  const body = JSON.parse(res.body.toString("utf8")) as { token?: string; access_token?: string };
  return body.token ?? body.access_token ?? { status: res.status };
}
