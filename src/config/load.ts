// Config: parse -> validate -> normalise (STYLE.md 6). Every problem is reported with its dotted path; exit 2.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { ConfigError, UsageError } from "../errors.js";
import { useRegistries } from "./registries.js";
import { configRules } from "./rules.js";
import { configSchema, type Config } from "./schema.js";

export interface LoadedConfig extends Config {
  /** Absolute path of the file read. */
  file: string;
  /** Directory relative paths in the file are resolved against. */
  root: string;
  stateDir: string;
}

export function configPath(explicit?: string): string {
  return path.resolve(explicit || process.env.PINROLL_CONFIG || "pinroll.yml");
}

export function loadConfig(explicit?: string): LoadedConfig {
  const file = configPath(explicit);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`config file ${file} not found`, "create pinroll.yml (see README) or pass --config PATH");
  }
  const config = parseConfig(text, file);
  useRegistries(config.root, config.registries);
  return config;
}

/** For commands that work without pinroll.yml (pin): its registries apply when there is one (issue 9). */
export function loadConfigIfPresent(explicit?: string): LoadedConfig | undefined {
  return explicit || process.env.PINROLL_CONFIG || fs.existsSync(configPath()) ? loadConfig(explicit) : undefined;
}

export function parseConfig(text: string, file: string): LoadedConfig {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      // yaml's first message line repeats the position ("... at line 4, column 5:"); it is said once, up front.
      doc.errors.map((e) => {
        const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "?";
        return `not valid YAML at ${where}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
    );
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  const rules = configRules(result.data);
  if (rules.errors.length)
    throw new ConfigError(
      file,
      rules.errors.map((e) => (e.fix ? `${e.message} (${e.fix})` : e.message)),
    );
  const root = path.dirname(file);
  const stateDir = path.resolve(root, process.env.PINROLL_STATE_DIR ?? result.data.state_dir);
  return { ...result.data, file, root, stateDir };
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${dotted([...issue.path, k])}: unknown key`);
    }
    // zod reports a bad record key as "Invalid key in record"; the schema's own message is inside.
    if (issue.code === "invalid_key") return [`${dotted(issue.path)}: ${issue.issues.map((i) => i.message).join("; ")}`];
    const where = dotted(issue.path);
    return [`${where || "(top level)"}: ${issue.message}`];
  });
}

function dotted(p: readonly PropertyKey[]): string {
  return p.map((s) => String(s)).join(".");
}
