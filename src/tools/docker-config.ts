// A private Docker config for one crane run against registries with a pinroll.yml entry (issue 9): credentials in a
// 0600 config.json and a CA bundle (system store + ca_file) in a 0700 temp dir, removed afterwards, also on a signal.
// The user's ~/.docker/config.json is only read, never written.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { registryAccess, type RegistryAccess } from "../config/registries.js";

/** Where Go looks for the system store on Linux (crypto/x509 root_linux.go), first that exists wins. */
const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/ca-bundle.pem",
  "/etc/pki/tls/cacert.pem",
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  "/etc/ssl/cert.pem",
];

export interface PrivateDockerConfig {
  env: Record<string, string>;
  remove: () => void;
}

const live = new Set<string>();

/** The env a tool needs for these registry hosts, or undefined when none has an entry (today's behaviour). */
export function privateDockerConfig(hosts: string[]): PrivateDockerConfig | undefined {
  const accesses = [...new Set(hosts)].map((h) => registryAccess(h)).filter((a): a is RegistryAccess => Boolean(a));
  if (accesses.length === 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-docker-"));
  track(dir);
  const remove = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
  };
  try {
    const configured = new Set(accesses.map((a) => a.host));
    fs.writeFileSync(
      path.join(dir, "config.json"),
      JSON.stringify(
        dockerConfigJson(
          accesses,
          hosts.filter((h) => !configured.has(h)),
        ),
      ),
      {
        mode: 0o600,
      },
    );
    const env: Record<string, string> = { DOCKER_CONFIG: dir };
    const cas = accesses.flatMap((a) => (a.caPem ? [a.caPem] : []));
    if (cas.length > 0) {
      const bundle = path.join(dir, "ca-bundle.pem");
      fs.writeFileSync(bundle, [systemBundle(), ...cas].join("\n"), { mode: 0o600 });
      env.SSL_CERT_FILE = bundle;
    }
    return { env, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * auths for the configured registries (none for insecure ones: plain HTTP never carries credentials); the user's
 * own entries for the other hosts of the same command, so `crane copy` to an unconfigured registry still logs in.
 */
export function dockerConfigJson(accesses: RegistryAccess[], others: string[]): Record<string, unknown> {
  const auths: Record<string, { auth: string }> = {};
  for (const a of accesses) {
    if (a.insecure || !a.username || !a.password) continue;
    auths[a.host] = { auth: Buffer.from(`${a.username}:${a.password.reveal()}`).toString("base64") };
  }
  const credHelpers: Record<string, string> = {};
  const user = userDockerConfig();
  for (const h of others) {
    const own = user.auths?.[h];
    if (own) auths[h] = own;
    const helper = user.credHelpers?.[h] ?? user.credsStore;
    if (helper && !own) credHelpers[h] = helper;
  }
  return Object.keys(credHelpers).length ? { auths, credHelpers } : { auths };
}

interface UserDockerConfig {
  auths?: Record<string, { auth: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

function userDockerConfig(): UserDockerConfig {
  const dir = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), ".docker");
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")) as UserDockerConfig;
  } catch {
    return {};
  }
}

function systemBundle(): string {
  const files = [process.env.SSL_CERT_FILE, ...SYSTEM_BUNDLES].filter((f): f is string => Boolean(f));
  for (const f of files) {
    try {
      return fs.readFileSync(f, "utf8");
    } catch {
      // next candidate
    }
  }
  return "";
}

/** Secrets must not outlive the process: remove what is left on exit, and on SIGINT/SIGTERM/SIGHUP. */
function track(dir: string): void {
  if (!tracking) {
    tracking = true;
    process.once("exit", removeAll);
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      const onSignal = () => {
        removeAll();
        // Alone, re-raise so the process still dies of the signal; another handler (a deploy's interrupt) decides itself.
        if (process.listenerCount(sig) === 1) {
          process.removeListener(sig, onSignal);
          process.kill(process.pid, sig);
        }
      };
      process.on(sig, onSignal);
    }
  }
  live.add(dir);
}

let tracking = false;

function removeAll(): void {
  for (const dir of live) fs.rmSync(dir, { recursive: true, force: true });
  live.clear();
}
