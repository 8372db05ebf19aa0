// The CNCF distribution registry: its config file and argv builders, for `task registry:*`, the tests and the
// benchmarks alike. Deletes are on unless asked otherwise (prune needs them; a registry's own default is off).
import type { Command } from "./run.js";

export interface RegistryConfig {
  addr: string;
  dataDir: string;
  deletes?: boolean;
  /** serve TLS with this certificate and key (PEM files) */
  tls?: { certificate: string; key: string };
  /** basic auth from an htpasswd file (bcrypt), or the token protocol trusting tokens signed under rootcertbundle */
  auth?: { htpasswd: string } | { token: { realm: string; service: string; issuer: string; rootcertbundle: string } };
}

export function registryConfigYaml(c: RegistryConfig): string {
  return [
    "version: 0.1",
    "log:",
    "  level: warn",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${JSON.stringify(c.dataDir)}`,
    "  delete:",
    `    enabled: ${c.deletes ?? true}`,
    "http:",
    `  addr: ${JSON.stringify(c.addr)}`,
    ...(c.tls ? ["  tls:", `    certificate: ${JSON.stringify(c.tls.certificate)}`, `    key: ${JSON.stringify(c.tls.key)}`] : []),
    ...authYaml(c.auth),
    "",
  ].join("\n");
}

function authYaml(auth: RegistryConfig["auth"]): string[] {
  if (!auth) return [];
  if ("htpasswd" in auth) return ["auth:", "  htpasswd:", '    realm: "pinroll"', `    path: ${JSON.stringify(auth.htpasswd)}`];
  return ["auth:", "  token:", ...Object.entries(auth.token).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)];
}

export const registryCmd = {
  serve: (config: string): Command => ({ tool: "registry", argv: ["serve", config] }),
  /** needs the registry stopped or read-only */
  garbageCollect: (config: string): Command => ({ tool: "registry", argv: ["garbage-collect", "--delete-untagged", config] }),
};

/** True when the registry answers its API root (200, or 401 behind auth). */
export async function registryAnswers(addr: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${addr}/v2/`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

export async function waitForRegistry(addr: string, timeoutMs = 10_000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await registryAnswers(addr)) return true;
  }
  return false;
}
