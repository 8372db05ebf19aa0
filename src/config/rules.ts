// Config rules that span fields (STYLE.md 6: parse -> normalise -> rules). Pure: they return what is wrong
// (errors: exit 2, nothing changed) and what works but is likely a mistake (warnings), and print nothing.
import { matchesPin, pinnedServices, type ComposeService } from "../compose/file.js";
import { parseRef } from "../image/ref.js";
import type { Config } from "./schema.js";

export interface Finding {
  /** `<dotted path>: <what>` */
  message: string;
  fix?: string;
}

export interface RuleReport {
  errors: Finding[];
  warnings: Finding[];
}

/** Rules on pinroll.yml alone, checked every time it is loaded. */
export function configRules(config: Pick<Config, "apps">): RuleReport {
  const errors: Finding[] = [];
  for (const [name, app] of Object.entries(config.apps)) {
    const envs = app.environments;
    // promote_on_deploy names a step of the promotion order when the app has one (seed 002).
    if (app.promote_on_deploy !== undefined && envs?.length && !envs.includes(app.promote_on_deploy))
      errors.push({
        message: `apps.${name}.promote_on_deploy: "${app.promote_on_deploy}" is not one of apps.${name}.environments (${envs.join(", ")})`,
        fix: `name one of ${envs.join(", ")}, or add it to environments`,
      });
  }
  return { errors, warnings: [] };
}

/** Rules between an app and its compose file's services (doctor; the compose file is read by the caller). */
export function composeRules(
  app: { name: string; compose: string; pin: string[]; healthcheck?: unknown },
  services: ComposeService[],
): RuleReport {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  if (!pinnedServices(services, app.pin).length)
    errors.push({ message: `no service of ${app.compose} matches pin: ${app.pin.join(", ")}`, fix: `fix apps.${app.name}.pin` });
  for (const glob of app.pin) {
    if (!services.some((s) => matchesImage(s.image, glob)))
      warnings.push({
        message: `pin glob ${glob} matches no service of ${app.compose}`,
        fix: `remove it from apps.${app.name}.pin, or fix it`,
      });
  }
  if (!app.healthcheck)
    warnings.push({
      message: "no healthcheck: a release counts as live once its containers run on the pinned digest",
      fix: `add apps.${app.name}.healthcheck: {url: http://127.0.0.1:PORT/}`,
    });
  const buildOnly = services.filter((s) => s.image === undefined).map((s) => s.service);
  if (buildOnly.length)
    warnings.push({
      message: `${buildOnly.join(", ")} ha${buildOnly.length === 1 ? "s" : "ve"} no image: (built on the host, never pinned)`,
      fix: "push the image from CI and give the service image: REGISTRY/REPO",
    });
  return { errors, warnings };
}

function matchesImage(image: string | undefined, glob: string): boolean {
  if (image === undefined) return false;
  try {
    // ${VAR:-default} in image: counts as its default, as pinnedServices reads it.
    return matchesPin(parseRef(image.replace(/\$\{\w+:?-([^}]*)\}/g, "$1")), image, [glob]);
  } catch {
    return false;
  }
}
