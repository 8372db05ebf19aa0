// crane argv builders (STYLE.md 1: commands are data) and its error classification (issue 2 item 6).
import { registryAccess } from "../config/registries.js";
import { RegistryError, classifyRegistryText, ToolError, lastLine } from "../errors.js";
import { privateDockerConfig } from "./docker-config.js";
import { run, type Command } from "./run.js";

const crane = (...argv: string[]): Command => ({ tool: "crane", argv });
const platformArgs = (platform?: string) => (platform ? ["--platform", platform] : []);

export const craneCmd = {
  ls: (repo: string) => crane("ls", repo),
  digest: (ref: string, platform?: string) => crane("digest", ...platformArgs(platform), ref),
  config: (ref: string, platform?: string) => crane("config", ...platformArgs(platform), ref),
  manifest: (ref: string) => crane("manifest", ref),
  tag: (ref: string, tag: string) => crane("tag", ref, tag),
  delete: (ref: string) => crane("delete", ref),
  authToken: (repo: string) => crane("auth", "token", repo),
  append: (layers: string[], target: string, base?: string) =>
    crane("append", ...(base ? ["--base", base] : []), ...layers.flatMap((l) => ["--new_layer", l]), "--new_tag", target),
  mutate: (ref: string, opts: MutateOptions) =>
    crane(
      "mutate",
      ref,
      ...Object.entries(opts.labels ?? {}).flatMap(([k, v]) => ["--label", labelFlag(k, v)]),
      ...(opts.entrypoint ? ["--entrypoint", opts.entrypoint.join(",")] : []),
      ...(opts.env ?? []).flatMap((e) => ["--env", e]),
      ...(opts.platform ? ["--set-platform", opts.platform] : []),
      ...(opts.tag ? ["--tag", opts.tag] : []),
    ),
  indexAppend: (manifests: string[], target: string) =>
    crane("index", "append", ...manifests.flatMap((m) => ["--manifest", m]), "--tag", target),
};

/**
 * crane's --label is a pflag stringToString: with one "=" it trims quotes, with more it parses CSV.
 * Writing the pair twice as a quoted CSV field always takes the CSV path, so any value survives intact.
 */
export function labelFlag(key: string, value: string): string {
  const field = `"${`${key}=${value}`.replace(/"/g, '""')}"`;
  return `${field},${field}`;
}

export interface MutateOptions {
  labels?: Record<string, string>;
  entrypoint?: string[];
  env?: string[];
  platform?: string;
  tag?: string;
}

/** The registry host of a crane ref argument, for error messages. */
export function hostOf(ref: string): string {
  return ref.split("/")[0] ?? ref;
}

/** Runs crane, turning its `Error: ...` output into a classified RegistryError. */
export async function runCrane(cmd: Command): Promise<string> {
  const hosts = craneHosts(cmd);
  // issue 9: registries with a pinroll.yml entry get a private DOCKER_CONFIG and CA bundle for this run only.
  const privateConfig = privateDockerConfig(hosts);
  const insecure = hosts.some((h) => registryAccess(h)?.insecure);
  const full: Command = {
    ...cmd,
    ...(insecure ? { argv: ["--insecure", ...cmd.argv] } : {}),
    ...(privateConfig ? { env: { ...cmd.env, ...privateConfig.env } } : {}),
  };
  try {
    return (await run(full)).stdout;
  } catch (err) {
    if (!(err instanceof ToolError) || err.toolExitCode === undefined) throw err;
    throw craneError(cmd, err.stderrTail);
  } finally {
    privateConfig?.remove();
  }
}

/** The registry hosts a crane command talks to: its image refs, or the host of `crane auth get HOST`. */
export function craneHosts(cmd: Command): string[] {
  if (cmd.argv[0] === "auth" && cmd.argv[1] === "get" && cmd.argv[2]) return [cmd.argv[2]];
  return [
    ...new Set(
      cmd.argv.filter((a, i) => i > 0 && a.includes("/") && !a.startsWith("-") && !NOT_A_REF.has(cmd.argv[i - 1] ?? "")).map(hostOf),
    ),
  ];
}

/** Flags whose values contain "/" but name no image (`--platform linux/amd64`, a layer path). */
const NOT_A_REF = new Set(["--platform", "--set-platform", "--new_layer", "--label", "--entrypoint", "--env"]);

export function craneError(cmd: Command, stderr: string): RegistryError {
  const subject =
    cmd.argv.find((a, i) => i > 0 && a.includes("/") && !a.startsWith("-") && !NOT_A_REF.has(cmd.argv[i - 1] ?? "")) ??
    cmd.argv.at(-1) ??
    "";
  const host = hostOf(subject);
  const classified = classifyRegistryText(stderr);
  // A refusal of credentials pinroll.yml configured is a refused login (exit 1), not a missing `crane auth login`.
  const fault = classified === "auth" && registryAccess(host)?.username ? "login-refused" : classified;
  const said = lastLine(stderr).replace(/^Error:\s*/, "");
  const messages: Record<string, string> = {
    "not-found": `${subject} not found in the registry`,
    auth: `not authorised for ${subject} at ${host}`,
    "login-refused": `registry ${host} refused the login of user ${registryAccess(host)?.username ?? "?"}`,
    "untrusted-cert": `registry ${host}: its TLS certificate is signed by an unknown authority`,
    "expired-cert": `registry ${host}: its TLS certificate has expired (or is not yet valid)`,
    "rate-limited": `rate limited by ${host}`,
    unreachable: `registry ${host} unreachable`,
    unsupported: `${host} does not support: crane ${cmd.argv[0]}`,
  };
  return new RegistryError(fault, host, messages[fault] ?? `crane ${cmd.argv[0]} ${subject}: ${said}`, said);
}
