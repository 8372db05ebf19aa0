// pinroll.yml, validated with zod (DESIGN.md Config); the committed JSON Schema is generated from this.
import { z } from "zod";
import { registriesSchema } from "./registries.js";
import { ENV_NAME, PLATFORM } from "../image/patterns.js";

const tagPattern = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression" },
);

export const healthcheckSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe("fetched on each host after compose up; 2xx/3xx is healthy"),
  timeout_s: z.number().int().positive().default(30),
  from: z.enum(["host", "controller"]).default("host").describe("where the check runs: on each host, or on the machine running pinroll"),
});

// Seed 002's tag pattern: release, channel and commit tags.
export const DEFAULT_POLICY_TAG_PATTERN = "^(v\\d+\\.\\d+\\.\\d+|env-\\w+|[0-9a-f]{7,40})$";

export const policySchema = z.strictObject({
  allowed_registries: z.array(z.string().min(1)).optional().describe("globs of registry hosts (or host/path) images may come from"),
  tag_pattern: tagPattern.default(DEFAULT_POLICY_TAG_PATTERN).describe("tags allowed in checked files"),
  production_files: z.array(z.string().min(1)).default([]).describe("globs of files where `latest` is forbidden"),
  require_digest: z.boolean().default(false).describe("every image reference must be pinned by digest"),
});

export const pruneSchema = z.strictObject({
  keep: z.number().int().min(0).default(10).describe("the newest N releases of the history are never pruned"),
  min_age: z
    .string()
    .regex(/^\d+[smhdw]$/, { message: "a duration like 7d, 12h, 30m" })
    .default("7d")
    .describe("tags younger than this are never pruned"),
});

// A lock whose holder is older than this is reported as stale (issue 8 §3).
const lockTtl = z
  .string()
  .regex(/^\d+[smhdw]$/, { message: "a duration like 30m, 2h, 1d" })
  .describe("a deploy lock older than this is stale: its holder is taken to be gone");
// Issue 12: a cosign public key every digest must be signed with before it goes live (or is promoted).
export const verifySchema = z.strictObject({
  cosign: z.strictObject({
    key: z
      .string()
      .min(1)
      .refine((k) => !k.startsWith("env://") || /^env:\/\/[A-Za-z_]\w*$/.test(k), { message: "env://VAR names an environment variable" })
      .describe("cosign public key: a path relative to pinroll.yml, or env://VAR holding the PEM"),
  }),
});

export const notifySchema = z.strictObject({
  webhook: z
    .url({ protocol: /^https?$/ })
    .describe("receives one JSON POST per deploy, update or rollback; printed only with userinfo and query redacted"),
  on: z
    .array(z.enum(["success", "failure", "rollback"]))
    .min(1)
    .default(["success", "failure", "rollback"])
    .describe("which runs are sent: by result (success; failure includes partial), and every rollback"),
});

// Issue 11: a hook is an argv array, or one executable's path relative to pinroll.yml.
const hookSchema = z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]);
export const hooksSchema = z.strictObject({
  pre_deploy: hookSchema.optional().describe("runs before anything changes, lock held; non-zero stops the run"),
  post_deploy: hookSchema.optional().describe("runs once the release is live on some host, lock held; a failure is a warning"),
  on_failure: hookSchema.optional().describe("runs when a host failed, lock held; a failure is a warning"),
});

export const appSchema = z.strictObject({
  compose: z.string().min(1).describe("the app's compose file, shipped to hosts as-is"),
  hosts: z.string().min(1).describe("inventory group or host pattern (a:b unions)"),
  deploy_dir: z.string().startsWith("/", { message: "must be an absolute path" }),
  pin: z.array(z.string().min(1)).min(1).describe("globs of image repositories whose services pinroll pins"),
  image: z.string().optional().describe("repository overview shows; default: the first pinned service's"),
  tag_pattern: tagPattern.default("^[0-9a-f]{7,40}$").describe("what a deployable, immutable tag looks like"),
  platform: z.string().regex(PLATFORM, { message: "expected os/arch[/variant]" }).default("linux/amd64"),
  healthcheck: healthcheckSchema.optional(),
  history_limit: z.number().int().positive().optional(),
  serial: z
    .union([z.number().int().positive(), z.string().regex(/^\d+%$/)])
    .optional()
    .describe("rolling batch size: hosts (or a percentage) deployed at a time"),
  max_fail_percentage: z.number().int().min(0).max(100).optional().describe("stop the rollout when more hosts than this fail"),
  environments: z
    .array(z.string().regex(ENV_NAME, { message: "environment names are letters, digits and _" }))
    .optional()
    .describe("promotion order, e.g. [dev, staging, prod]: a digest reaches env-<next> only from env-<previous>"),
  promote_on_deploy: z.string().regex(ENV_NAME).optional().describe("after a deploy or rollback, move env-<ENV> to the live digest"),
  // Absent sections get their defaults here, so commands restate none (issue 10).
  policy: policySchema.prefault({}),
  prune: pruneSchema.prefault({}),
  lock_ttl: lockTtl.optional(),
  verify: verifySchema.optional().describe("refuse digests without a valid signature (deploy, update, rollback, promote)"),
  notify: notifySchema.optional(),
  hooks: hooksSchema.optional().describe("commands run on the controller around deploy, update and rollback"),
  hooks_timeout_s: z.number().int().positive().default(300).describe("a hook still running after this many seconds fails"),
});

export const configSchema = z.strictObject({
  registry: z.string().min(1).default("localhost:5000").describe("default registry host[:port]"),
  inventory: z.string().min(1).default("ansible/inventory/local.yml"),
  history_limit: z.number().int().positive().default(100),
  state_dir: z.string().default(".pinroll").describe("local cache and registry data, relative to this file"),
  hub_url: z.url().default("https://hub.docker.com").describe("Docker Hub's API, for update (tests point it at a local server)"),
  lock_ttl: lockTtl.default("30m"),
  update_workers: z.number().int().min(1).max(64).default(10).describe("parallel tag look-ups in update"),
  registries: registriesSchema,
  apps: z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: "app names are lowercase letters, digits, . _ -" }), appSchema),
});

export type Config = z.output<typeof configSchema>;
export type AppConfig = z.output<typeof appSchema>;

export function jsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}
