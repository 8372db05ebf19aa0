// pinroll.yml: valid (else every problem with its dotted path), the app resolves, its compose file pins something;
// warnings for what works but is likely a mistake (config/rules.ts).
import path from "node:path";
import { resolveApp, type App } from "../config/app.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { pinnedServices, readComposeServices } from "../compose/file.js";
import { composeRules } from "../config/rules.js";
import { errorLine } from "../errors.js";
import { fail, pass, type Check } from "./check.js";

export function checkConfig(
  configFile: string | undefined,
  appName: string | undefined,
): { checks: Check[]; app?: App; config?: LoadedConfig } {
  let config: LoadedConfig;
  let app: App;
  try {
    config = loadConfig(configFile);
    app = resolveApp(config, appName);
  } catch (err) {
    return { checks: [fail("pinroll.yml", errorLine(err), "fix what is named in pinroll.yml (pinroll.schema.json has every key)")] };
  }
  const where = path.relative(process.cwd(), config.file) || config.file;
  let services;
  try {
    services = readComposeServices(app.composeFile);
  } catch (err) {
    return { checks: [fail("pinroll.yml", errorLine(err), `fix apps.${app.name}.compose in ${where}`)], config };
  }
  const rules = composeRules(app, services);
  if (rules.errors.length)
    return { checks: rules.errors.map((e) => fail("pinroll.yml", e.message, `${e.fix ?? "fix it"} in ${where}`)), config };
  const pinned = pinnedServices(services, app.pin);
  return {
    app,
    config,
    checks: [
      pass("pinroll.yml", `${where} valid: app ${app.name}, pins ${pinned.map((p) => p.service).join(", ")}`),
      ...rules.warnings.map((w) => pass("pinroll.yml", w.message, { warning: true, ...(w.fix ? { fix: w.fix } : {}) })),
    ],
  };
}
