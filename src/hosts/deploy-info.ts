// deploy-info.yml on a host (DESIGN.md, Files on a host): what is live there, per pinned service.
import YAML from "yaml";
import { z } from "zod";
import { CorruptFile } from "../errors.js";
import { SHA256_DIGEST } from "../image/patterns.js";

export const serviceReleaseSchema = z.object({
  image: z.string(),
  tag: z.string(),
  digest: z.string().regex(SHA256_DIGEST),
  description: z.string().default(""),
  revision: z.string().default(""),
  created: z.string().default(""),
});

export const deployInfoSchema = z.object({
  app: z.string(),
  kind: z.enum(["deploy", "rollback", "update"]).default("deploy"),
  rollback_of: z.object({ deployed_at: z.string(), tags: z.string() }).optional(),
  deployed_at: z.string(),
  deployed_by: z.string().default(""),
  allow_unsigned: z.boolean().optional(),
  services: z.record(z.string(), serviceReleaseSchema),
});

export type DeployInfo = z.output<typeof deployInfoSchema>;

export function parseDeployInfo(text: string, path: string): DeployInfo {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (err) {
    throw new CorruptFile(path, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const result = deployInfoSchema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new CorruptFile(path, `${first?.path.join(".") || "top level"}: ${first?.message}`);
  }
  return result.data;
}
