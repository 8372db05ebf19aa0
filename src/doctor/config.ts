// pinroll.yml: valid (else every problem with its dotted path), the app resolves, its compose file pins something;
// warnings for what works but is likely a mistake.
import path from "node:path";
import { resolveApp, type App } from "../config/app.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { matchesPin, pinnedServices, readComposeServices } from "../compose/file.js";
import { errorLine } from "../errors.js";
import { parseRef } from "../registry/ref.js";
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
  const pinned = pinnedServices(services, app.pin);
  if (!pinned.length)
    return {
      checks: [
        fail("pinroll.yml", `no service of ${app.compose} matches pin: ${app.pin.join(", ")}`, `fix apps.${app.name}.pin in ${where}`),
      ],
      config,
    };
  const warnings = configWarnings(app, services);
  return {
    app,
    config,
    checks: [
      pass("pinroll.yml", `${where} valid: app ${app.name}, pins ${pinned.map((p) => p.service).join(", ")}`),
      ...warnings.map((w) => pass("pinroll.yml", w.detail, { warning: true, fix: w.fix })),
    ],
  };
}

function configWarnings(app: App, services: { service: string; image?: string }[]): { detail: string; fix: string }[] {
  const out: { detail: string; fix: string }[] = [];
  for (const glob of app.pin) {
    const hit = services.some((s) => {
      try {
        return s.image !== undefined && matchesPin(parseRef(s.image.replace(/\$\{\w+:?-([^}]*)\}/g, "$1")), s.image, [glob]);
      } catch {
        return false;
      }
    });
    if (!hit)
      out.push({ detail: `pin glob ${glob} matches no service of ${app.compose}`, fix: `remove it from apps.${app.name}.pin, or fix it` });
  }
  if (!app.healthcheck)
    out.push({
      detail: "no healthcheck: a release counts as live once its containers run on the pinned digest",
      fix: `add apps.${app.name}.healthcheck: {url: http://127.0.0.1:PORT/}`,
    });
  const buildOnly = services.filter((s) => s.image === undefined).map((s) => s.service);
  if (buildOnly.length)
    out.push({
      detail: `${buildOnly.join(", ")} ha${buildOnly.length === 1 ? "s" : "ve"} no image: (built on the host, never pinned)`,
      fix: "push the image from CI and give the service image: REGISTRY/REPO",
    });
  return out;
}
