// Promotion order (seed 002: dev → staging → prod): a digest reaches env-<next> only once it is env-<previous>.
export const envTag = (env: string): string => `env-${env}`;

export type OrderCheck = { ok: true; previous: string | null; forced: boolean } | { ok: false; reason: string; fix: string };

/** The environment before `env` in the promotion order; null for the first one or when no order is configured. */
export function previousEnv(environments: readonly string[] | undefined, env: string): string | null {
  const i = environments?.indexOf(env) ?? -1;
  return i > 0 ? environments![i - 1]! : null;
}

/** An environment outside the configured order is bad input, `--force` or not: it would skip the whole order. */
export function checkKnownEnv(environments: readonly string[] | undefined, env: string): OrderCheck {
  if (!environments?.length || environments.includes(env)) return { ok: true, previous: previousEnv(environments, env), forced: false };
  return {
    ok: false,
    reason: `environment "${env}" is not in the promotion order (${environments.join(" -> ")})`,
    fix: "promote to one of those, or add it to apps.<app>.environments",
  };
}

export interface OrderInput {
  environments?: readonly string[] | undefined;
  env: string;
  tag: string;
  digest: string;
  /** where env-<previous> points now; null when that tag does not exist */
  previousDigest: string | null;
  force: boolean;
  /** how to retry, for the fix line */
  command: (env: string) => string;
}

export function checkOrder(input: OrderInput): OrderCheck {
  const known = checkKnownEnv(input.environments, input.env);
  if (!known.ok) return known;
  const previous = previousEnv(input.environments, input.env);
  if (previous === null || input.previousDigest === input.digest) return { ok: true, previous, forced: false };
  if (input.force) return { ok: true, previous, forced: true };
  const where =
    input.previousDigest === null ? `${envTag(previous)} does not exist yet` : `${envTag(previous)} is ${short(input.previousDigest)}`;
  return {
    ok: false,
    reason: `${input.tag} is not on ${envTag(previous)} (${where}): ${input.env} comes after ${previous}`,
    fix: `promote it to ${previous} first: ${input.command(previous)}; --force skips the order`,
  };
}

export function short(digest: string): string {
  return digest.slice(0, 19);
}
