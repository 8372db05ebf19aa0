// Moving an env-<ENV> tag onto a digest with `crane tag` (a manifest PUT under a new name: no pull, no layer push),
// and recording the move. promote uses it, and so can deploy/rollback for apps with promote_on_deploy (seed 002:
// "env-<env> tag is reset after rollback to point back to the previous digest").
import { appImage } from "../release/resolve.js";
import type { App } from "../config/app.js";
import { PinrollError, RegistryError } from "../errors.js";
import { repoName } from "../image/ref.js";
import type { Release } from "../release/release.js";
import { deployedBy } from "../release/release.js";
import { craneCmd, runCrane } from "../tools/crane.js";
import { formatCommand } from "../tools/run.js";
import { envTag } from "./order.js";
import { appendPromotion, type PromotionRecord } from "./record.js";

export interface EnvMove {
  app: string;
  image: string;
  env: string;
  env_tag: string;
  from: string | null;
  to: string;
  /** false when env-<ENV> already points at the digest: nothing to do */
  changed: boolean;
  command: string;
}

/** The digest a tag points to, or null when the repository has no such tag. */
export async function tagDigest(repo: string, tag: string): Promise<string | null> {
  try {
    return (await runCrane(craneCmd.digest(`${repo}:${tag}`))).trim();
  } catch (err) {
    if (err instanceof RegistryError && err.fault === "not-found") return null;
    throw err;
  }
}

export const retagCommand = (repo: string, digest: string, env: string) => craneCmd.tag(`${repo}@${digest}`, envTag(env));

export async function planEnvMove(app: App, env: string, digest: string): Promise<EnvMove> {
  const repo = repoName(appImage(app));
  const from = await tagDigest(repo, envTag(env));
  return {
    app: app.name,
    image: repo,
    env,
    env_tag: envTag(env),
    from,
    to: digest,
    changed: from !== digest,
    command: formatCommand(retagCommand(repo, digest, env)),
  };
}

/** Retags and records; a move that changes nothing is neither run nor recorded. */
export async function applyEnvMove(app: App, move: EnvMove, tag: string, reason: string): Promise<PromotionRecord | null> {
  if (!move.changed) return null;
  await runCrane(retagCommand(move.image, move.to, move.env));
  const record: PromotionRecord = {
    at: new Date().toISOString(),
    by: deployedBy(),
    app: app.name,
    image: move.image,
    env: move.env,
    tag,
    from: move.from,
    to: move.to,
    reason,
  };
  appendPromotion(app, record);
  return record;
}

/** Points env-<ENV> of the app image at `digest` and records why; null when it already pointed there. */
export async function promoteEnv(app: App, env: string, digest: string, reason: string, tag = ""): Promise<PromotionRecord | null> {
  return applyEnvMove(app, await planEnvMove(app, env, digest), tag, reason);
}

/**
 * After a release went live (deploy, rollback or update): for an app with `promote_on_deploy: ENV`, env-<ENV> moves to
 * the release's digest of the app image. Null when the app has no promote_on_deploy or the tag was already there.
 * Throws a RegistryError when the retag fails: the release is live regardless, so callers warn rather than fail.
 */
export async function resetEnvAfterRelease(app: App, release: Release): Promise<PromotionRecord | null> {
  const env = app.promote_on_deploy;
  if (!env) return null;
  const image = repoName(appImage(app));
  const service = Object.values(release.services).find((s) => s.image === image);
  if (!service) throw new PinrollError(`the release pins no service on ${image}: ${envTag(env)} not moved`);
  return promoteEnv(app, env, service.digest, `${release.kind} ${service.tag || service.digest.slice(7, 19)}`, service.tag);
}
