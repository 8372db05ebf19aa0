// `pinroll ci-meta`: the tags and OCI labels a CI build stamps on an image (seeds 002 and 004).
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { OCI } from "../registry/image-info.js";
import { cosignCmd } from "../tools/cosign.js";
import { gitCmd } from "../tools/git.js";
import { run } from "../tools/run.js";
import { ENV_NAME } from "../image/patterns.js";

export interface CiMetaOptions {
  dir?: string;
  /** commit to describe (default HEAD) */
  rev?: string;
  env?: string;
  image?: string;
  source?: string;
  /** cosign private key (path or env://VAR) the build signs with: adds the signing step's argv (issue 12) */
  signKey?: string;
}

export interface CiMeta {
  revision: string;
  short_sha: string;
  version: string | null;
  tags: string[];
  /** image:tag for each tag, when --image was given */
  refs: string[];
  labels: Record<string, string>;
  warnings: string[];
  /** with --sign-key: the command to run after the push, with IMAGE@DIGEST appended */
  sign?: { key: string; argv: string[] };
}

const SEMVER = /^v?(\d+\.\d+\.\d+)$/;

export async function ciMeta(opts: CiMetaOptions = {}): Promise<CiMeta> {
  const dir = path.resolve(opts.dir ?? ".");
  if (opts.env !== undefined && !ENV_NAME.test(opts.env))
    throw new UsageError(`invalid environment "${opts.env}"`, "letters, digits and _ only (tag env-<env>)");
  if (opts.signKey !== undefined && (!opts.signKey || /[\r\n]/.test(opts.signKey)))
    throw new UsageError("invalid --sign-key", "a path to the cosign private key, or env://VAR");
  const rev = opts.rev ?? "HEAD";
  if (rev.startsWith("-")) throw new UsageError(`invalid revision "${rev}"`);
  const head = await run(gitCmd.head(dir, rev), { allowFailure: true });
  if (head.exitCode !== 0)
    throw new UsageError(`${dir} is not a git repository with commit ${rev}`, "run ci-meta inside the app's checkout or pass --dir");
  const [revision = "", created = "", subject = ""] = head.stdout.split("\n");
  const [short, exact, remote, top] = await Promise.all([
    run(gitCmd.shortSha(dir, rev)),
    run(gitCmd.exactTag(dir, rev), { allowFailure: true }),
    run(gitCmd.remoteUrl(dir), { allowFailure: true }),
    run(gitCmd.topLevel(dir)),
  ]);
  const warnings: string[] = [];
  const version = semverOf(exact.exitCode === 0 ? exact.stdout.trim() : "", readVersionFile(top.stdout.trim()), warnings);
  const tags = [short.stdout.trim(), ...(version ? [version] : []), ...(opts.env ? [`env-${opts.env}`] : [])];
  const source = opts.source ?? (remote.exitCode === 0 ? publicUrl(remote.stdout.trim()) : "");
  const labels: Record<string, string> = {
    [OCI.description]: subject,
    [OCI.created]: created,
    [OCI.revision]: revision,
    ...(source ? { [OCI.source]: source } : {}),
    [OCI.version]: version ?? short.stdout.trim(),
  };
  return {
    revision,
    short_sha: short.stdout.trim(),
    version,
    tags,
    refs: opts.image ? tags.map((t) => `${opts.image}:${t}`) : [],
    labels,
    warnings,
    ...(opts.signKey ? { sign: signStep(opts.signKey) } : {}),
  };
}

/** cosign's sign argv without its last argument: the pushed digest is known only after the build. */
function signStep(key: string): { key: string; argv: string[] } {
  const cmd = cosignCmd.sign(key, "");
  return { key, argv: [cmd.tool, ...cmd.argv.slice(0, -1)] };
}

function readVersionFile(top: string): string {
  try {
    return fs.readFileSync(path.join(top, "VERSION"), "utf8").trim();
  } catch {
    return "";
  }
}

/** An exact git tag vX.Y.Z wins over the VERSION file; a VERSION that is not X.Y.Z is ignored with a warning. */
export function semverOf(gitTag: string, versionFile: string, warnings: string[]): string | null {
  const fromTag = SEMVER.exec(gitTag)?.[1];
  const fromFile = SEMVER.exec(versionFile)?.[1];
  if (versionFile && !fromFile) warnings.push(`VERSION holds "${versionFile}", not X.Y.Z: no version tag`);
  if (fromTag && fromFile && fromTag !== fromFile) warnings.push(`git tag v${fromTag} and VERSION ${fromFile} disagree: using the git tag`);
  const v = fromTag ?? fromFile;
  return v ? `v${v}` : null;
}

/** A remote URL as a browsable https URL, credentials dropped (secrets are never printed). */
export function publicUrl(remote: string): string {
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+?)(?:\.git)?\/?$/.exec(remote);
  if (scp && !remote.includes("://")) return `https://${scp[1]}/${scp[2]}`;
  let u: URL;
  try {
    u = new URL(remote);
  } catch {
    return "";
  }
  // WHATWG URL will not switch ssh:/git: to https: in place, so the web URL is rebuilt; an ssh port is not the web's.
  const web = u.protocol === "https:" || u.protocol === "http:" ? `${u.protocol}//${u.host}` : "";
  const base = u.protocol === "ssh:" || u.protocol === "git:" ? `https://${u.hostname}` : web;
  return base ? `${base}${u.pathname}`.replace(/\.git\/?$/, "").replace(/\/$/, "") : "";
}
