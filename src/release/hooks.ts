// Hooks (issue 11): argv arrays run on the controller by the deploy playbook while the lock is held, with the
// release in their environment. pinroll builds the variables; Ansible runs them (command module, argv, no shell).
import type { App, HookName } from "../config/app.js";
import type { Release } from "./release.js";

export interface HookVars {
  pinroll_hooks: Record<HookName, string[] | null>;
  pinroll_hooks_timeout: number;
  pinroll_hook_env: Record<string, string>;
}

export const HOOK_NAMES: HookName[] = ["pre_deploy", "post_deploy", "on_failure"];

/** The app image's service: the one whose tag and digest PINROLL_TAG and PINROLL_DIGEST name. */
function mainService(app: App, release: Release): string | undefined {
  const names = Object.keys(release.services);
  return names.find((n) => app.image && release.services[n]!.image === app.image) ?? names[0];
}

export function hookVars(app: App, release: Release, hosts: string[], previousDigest = ""): HookVars {
  const main = mainService(app, release);
  const s = main ? release.services[main] : undefined;
  return {
    pinroll_hooks: Object.fromEntries(HOOK_NAMES.map((h) => [h, app.hookArgv[h] ?? null])) as HookVars["pinroll_hooks"],
    pinroll_hooks_timeout: app.hooks_timeout_s,
    pinroll_hook_env: {
      PINROLL_APP: app.name,
      PINROLL_KIND: release.kind,
      PINROLL_HOSTS: hosts.join(","),
      PINROLL_PERFORMER: release.deployed_by,
      PINROLL_SERVICES: JSON.stringify(
        Object.fromEntries(Object.entries(release.services).map(([k, v]) => [k, { image: v.image, tag: v.tag, digest: v.digest }])),
      ),
      PINROLL_TAG: s?.tag ?? "",
      PINROLL_DIGEST: s?.digest ?? "",
      PINROLL_PREVIOUS_DIGEST: previousDigest,
    },
  };
}

export function hasHooks(app: App): boolean {
  return HOOK_NAMES.some((h) => app.hookArgv[h]);
}

/** The live digest of the app image's service on the first host that records one (PINROLL_PREVIOUS_DIGEST). */
export function previousDigest(
  app: App,
  release: Release,
  live: { info: { services: Record<string, { digest: string }> } | null }[],
): string {
  const main = mainService(app, release);
  for (const h of live) {
    const d = main ? h.info?.services[main]?.digest : undefined;
    if (d) return d;
  }
  return "";
}
