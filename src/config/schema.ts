// pinroll.yml, validated with zod (DESIGN.md Config); the committed JSON Schema is generated from this.
import { z } from "zod";

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

export const appSchema = z.strictObject({
  compose: z.string().min(1).describe("the app's compose file, shipped to hosts as-is"),
  hosts: z.string().min(1).describe("inventory group or host pattern (a:b unions)"),
  deploy_dir: z.string().startsWith("/", { message: "must be an absolute path" }),
  pin: z.array(z.string().min(1)).min(1).describe("globs of image repositories whose services pinroll pins"),
  image: z.string().optional().describe("repository overview shows; default: the first pinned service's"),
  tag_pattern: tagPattern.default("^[0-9a-f]{7,40}$").describe("what a deployable, immutable tag looks like"),
  platform: z
    .string()
    .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, { message: "expected os/arch[/variant]" })
    .default("linux/amd64"),
  healthcheck: healthcheckSchema.optional(),
  history_limit: z.number().int().positive().optional(),
  serial: z
    .union([z.number().int().positive(), z.string().regex(/^\d+%$/)])
    .optional()
    .describe("rolling batch size: hosts (or a percentage) deployed at a time"),
  max_fail_percentage: z.number().int().min(0).max(100).optional().describe("stop the rollout when more hosts than this fail"),
});

export const configSchema = z.strictObject({
  registry: z.string().min(1).default("localhost:5000").describe("default registry host[:port]"),
  inventory: z.string().min(1).default("ansible/inventory/local.yml"),
  history_limit: z.number().int().positive().default(100),
  state_dir: z.string().default(".pinroll").describe("local cache and registry data, relative to this file"),
  apps: z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { message: "app names are lowercase letters, digits, . _ -" }), appSchema),
});

export type Config = z.output<typeof configSchema>;
export type AppConfig = z.output<typeof appSchema>;

export function jsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}
