// `pinroll promote APP TAG ENV` and `pinroll verify-promotion APP ENV TAG` (seed 002: Promotion, release checklist).
// Every refusal is bad input and changes nothing (exit 2): a tag outside tag_pattern, an image without its revision
// label, an environment skipped in the promotion order. Exit 1 is left for a registry that fails the retag.
import { resolveApp, type App } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { applyEnvMove, planEnvMove, tagDigest, type EnvMove } from "../promote/env-tag.js";
import { checkKnownEnv, checkOrder, envTag, previousEnv } from "../promote/order.js";
import { ENV_NAME } from "../image/patterns.js";
import { promotionsFile, type PromotionRecord } from "../promote/record.js";
import { RegistryClient } from "../registry/http.js";
import { readImageInfo } from "../registry/image-info.js";
import { repoName } from "../image/ref.js";
import { checkTagInput } from "../release/resolve.js";
import { appImage, appPinnedServices } from "../release/resolve.js";
import { verifySubjects } from "../verify/cosign.js";

export interface PromoteOptions {
  config?: string;
  force?: boolean;
  dryRun?: boolean;
}

export interface PromoteResult extends EnvMove {
  tag: string;
  revision: string;
  /** --force was needed: the digest was not on env-<previous> */
  forced: boolean;
  dry_run: boolean;
  record: PromotionRecord | null;
  /** the local log promotions are recorded in */
  record_file: string;
}

function checkEnvInput(app: App, env: string): void {
  if (!ENV_NAME.test(env)) throw new UsageError(`invalid environment "${env}"`, "an environment name is letters, digits and _");
  const known = checkKnownEnv(app.environments, env);
  if (!known.ok) throw new UsageError(known.reason, known.fix);
}

async function digestOfTag(app: App, repo: string, tag: string): Promise<string> {
  checkTagInput(tag);
  const digest = await tagDigest(repo, tag);
  if (!digest) throw new UsageError(`tag ${tag} not found in ${repo}`, `see the tags with: pinroll overview ${app.name}`);
  return digest;
}

export async function promote(appName: string, tag: string, env: string, opts: PromoteOptions = {}): Promise<PromoteResult> {
  const app = resolveApp(loadConfig(opts.config), appName);
  checkEnvInput(app, env);
  if (!app.tagRegex.test(tag)) {
    throw new UsageError(
      `tag "${tag}" does not match tag_pattern ${app.tag_pattern}`,
      "promote the tested commit tag, not a channel tag or latest",
    );
  }
  const image = appImage(app);
  const repo = repoName(image);
  const digest = await digestOfTag(app, repo, tag);
  const client = new RegistryClient(image.registry, image.repository);
  const info = await readImageInfo(client, await client.manifest(digest), app.platform);
  if (!info.revision) {
    throw new UsageError(
      `${repo}:${tag} has no org.opencontainers.image.revision label: only images traceable to a commit are promoted`,
      "build it with the labels from pinroll ci-meta",
    );
  }
  const service = appPinnedServices(app).find((s) => repoName(s.ref) === repo)?.service ?? repo;
  await verifySubjects(app, [{ service, image: repo, digest }]); // issue 12: only signed digests move on
  const move = await planEnvMove(app, env, digest);
  const base = { ...move, tag, revision: info.revision, forced: false, dry_run: Boolean(opts.dryRun), record_file: promotionsFile(app) };
  // Already there: the asked-for state holds, whatever the order says about how it got there.
  if (!move.changed) return { ...base, record: null };
  const previous = previousEnv(app.environments, env);
  const order = checkOrder({
    environments: app.environments,
    env,
    tag,
    digest,
    previousDigest: previous ? await tagDigest(repo, envTag(previous)) : null,
    force: opts.force ?? false,
    command: (e) => `pinroll promote ${app.name} ${tag} ${e}`,
  });
  if (!order.ok) throw new UsageError(order.reason, order.fix);
  if (opts.dryRun) return { ...base, forced: order.forced, record: null };
  const record = await applyEnvMove(app, move, tag, order.forced ? "promote --force" : "promote");
  return { ...base, forced: order.forced, record };
}

export interface VerifyResult {
  app: string;
  image: string;
  env: string;
  env_tag: string;
  tag: string;
  env_digest: string | null;
  tag_digest: string;
  match: boolean;
}

/** The release checklist's last step: env-<ENV> is the approved TAG's digest. */
export async function verifyPromotion(
  appName: string,
  env: string,
  tag: string,
  opts: Pick<PromoteOptions, "config"> = {},
): Promise<VerifyResult> {
  const app = resolveApp(loadConfig(opts.config), appName);
  checkEnvInput(app, env);
  const repo = repoName(appImage(app));
  const [tagDigestValue, envDigest] = await Promise.all([digestOfTag(app, repo, tag), tagDigest(repo, envTag(env))]);
  return {
    app: app.name,
    image: repo,
    env,
    env_tag: envTag(env),
    tag,
    env_digest: envDigest,
    tag_digest: tagDigestValue,
    match: envDigest === tagDigestValue,
  };
}
