// ci-meta output formats: json, docker-args (one argument a line, for `mapfile -t`), github-output.
import { randomBytes } from "node:crypto";
import { UsageError } from "../errors.js";
import type { CiMeta } from "../commands/ci-meta.js";
import { shellQuote } from "../tools/run.js";

export const CI_META_FORMATS = ["json", "docker-args", "github-output"] as const;
export type CiMetaFormat = (typeof CI_META_FORMATS)[number];

export function renderCiMeta(meta: CiMeta, format: CiMetaFormat): string {
  const labels = Object.entries(meta.labels).map(([k, v]) => `${k}=${v}`);
  switch (format) {
    case "json":
      return JSON.stringify(meta, null, 2);
    case "docker-args":
      if (!meta.refs.length) throw new UsageError("--format docker-args needs --image REPO to name the tags");
      return [...meta.refs.map((r) => `--tag=${r}`), ...labels.map((l) => `--label=${l}`)].join("\n");
    case "github-output":
      return [
        multiline("tags", meta.refs.length ? meta.refs : meta.tags),
        multiline("labels", labels),
        `short_sha=${meta.short_sha}`,
        `revision=${meta.revision}`,
        `version=${meta.version ?? ""}`,
        ...(meta.sign ? [`sign_command=${meta.sign.argv.map(shellQuote).join(" ")}`] : []),
      ].join("\n");
  }
}

/** GitHub's `name<<DELIM` form; a random delimiter so no value can end the block early. */
function multiline(name: string, values: string[]): string {
  const delim = `EOF_${randomBytes(8).toString("hex")}`;
  return [`${name}<<${delim}`, ...values, delim].join("\n");
}
