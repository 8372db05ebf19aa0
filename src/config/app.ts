// One app of pinroll.yml, with defaults applied and paths made absolute.
import path from "node:path";
import { UsageError } from "../errors.js";
import { parseDuration } from "./duration.js";
import type { LoadedConfig } from "./load.js";
import type { AppConfig } from "./schema.js";

export type HookName = "pre_deploy" | "post_deploy" | "on_failure";

export interface App extends AppConfig {
  name: string;
  composeFile: string;
  inventoryFile: string;
  historyLimit: number;
  tagRegex: RegExp;
  registry: string;
  stateDir: string;
  /** verify.cosign.key as cosign takes it: an absolute path, or env://VAR (issue 12) */
  verifyKey: string | undefined;
  /** hooks as argv arrays, paths made absolute (issue 11) */
  hookArgv: Partial<Record<HookName, string[]>>;
  /** lock_ttl in ms, the app's own or the top-level one: a lock older than this is stale (issue 8) */
  lockTtlMs: number;
}

/** APP may be left out when pinroll.yml has exactly one app (issue 2 item 7). */
export function resolveApp(config: LoadedConfig, name?: string): App {
  const names = Object.keys(config.apps);
  if (!name) {
    if (names.length === 1) name = names[0];
    else if (names.length === 0) throw new UsageError(`no apps in ${config.file}`, "add one under apps:");
    else throw new UsageError(`which app? ${config.file} has ${names.join(", ")}`, "name one: pinroll <command> APP");
  }
  const app = name ? config.apps[name] : undefined;
  if (!name || !app) {
    throw new UsageError(`unknown app "${name}"`, names.length ? `apps in ${path.basename(config.file)}: ${names.join(", ")}` : undefined);
  }
  return {
    ...app,
    name,
    composeFile: path.resolve(config.root, app.compose),
    inventoryFile: path.resolve(config.root, config.inventory),
    historyLimit: app.history_limit ?? config.history_limit,
    tagRegex: new RegExp(app.tag_pattern),
    registry: config.registry,
    stateDir: config.stateDir,
    verifyKey: keyRef(config.root, app.verify?.cosign.key),
    lockTtlMs: parseDuration(app.lock_ttl ?? config.lock_ttl),
    hookArgv: Object.fromEntries(
      Object.entries(app.hooks ?? {}).map(([k, v]) => [k, typeof v === "string" ? [path.resolve(config.root, v)] : v]),
    ) as App["hookArgv"],
  };
}

function keyRef(root: string, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  return key.startsWith("env://") ? key : path.resolve(root, key);
}
