// The registries the app pulls its pinned images from: each answers (GET /v2/), and the Docker config's credentials
// are accepted there (a real token request for Bearer registries, /v2/ with them for Basic ones).
import type { App } from "../config/app.js";
import { pinnedServices, readComposeServices } from "../compose/file.js";
import { apiHost, isPlainHttp, repoName } from "../image/ref.js";
import { craneCmd } from "../tools/crane.js";
import { run } from "../tools/run.js";
import { fail, pass, type Check } from "./check.js";
import { registryAccess } from "../config/registries.js";
import { checkConfiguredRegistry } from "./registry-access.js";

const TIMEOUT_MS = 5000;

export async function checkRegistries(app: App): Promise<Check[]> {
  const refs = pinnedServices(readComposeServices(app.composeFile), app.pin).map((p) => p.ref);
  const byRegistry = new Map(refs.map((r) => [r.registry, repoName(r)]));
  const checks = await Promise.all([...byRegistry].map(([registry, repo]) => checkRegistry(registry, repo)));
  return checks.flat();
}

async function checkRegistry(registry: string, repo: string): Promise<Check[]> {
  if (registryAccess(registry)) return checkConfiguredRegistry(registry, repo); // issue 9: its TLS and login
  const url = `${isPlainHttp(registry) ? "http" : "https"}://${apiHost(registry)}/v2/`;
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(registry);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === "TimeoutError" ? `no answer in ${TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message);
    const fix = local ? `start it (the local one: task registry:up)` : `is ${registry} up and reachable from this machine?`;
    return [fail("registry", `${registry} does not answer: ${why}`, fix)];
  }
  const answers = pass("registry", `${registry} answers (HTTP ${res.status})`);
  if (res.status === 200) return [answers, pass("registry credentials", `${registry} needs no credentials`)];
  if (res.status !== 401)
    return [fail("registry", `${registry} answered HTTP ${res.status} to ${url}`, `is ${registry} a registry (v2 API)?`)];
  const challenge = res.headers.get("www-authenticate") ?? "";
  const login = `crane auth login ${registry} -u USER --password-stdin (or docker login ${registry})`;
  if (/^bearer/i.test(challenge)) {
    const token = await run(craneCmd.authToken(repo), { allowFailure: true });
    return token.exitCode === 0
      ? [answers, pass("registry credentials", `token for ${repo} granted`)]
      : [answers, fail("registry credentials", `no token for ${repo}: ${token.stderr.trim().split("\n").at(-1)}`, login)];
  }
  const creds = await run({ tool: "crane", argv: ["auth", "get", registry] }, { allowFailure: true });
  if (creds.exitCode !== 0) return [answers, fail("registry credentials", `no credentials for ${registry} in the Docker config`, login)];
  const { Username, Secret } = JSON.parse(creds.stdout) as { Username?: string; Secret?: string };
  const again = await fetch(url, {
    headers: { authorization: `Basic ${Buffer.from(`${Username}:${Secret}`).toString("base64")}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  return again?.ok
    ? [answers, pass("registry credentials", `${registry} accepts ${Username}`)]
    : [answers, fail("registry credentials", `${registry} refuses ${Username} (HTTP ${again?.status ?? "no answer"})`, login)];
}
