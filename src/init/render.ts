// The files `pinroll init` writes, as text with comments (issue 11 §6). Every value goes through YAML quoting.
import YAML from "yaml";
import type { ServicePlan } from "./classify.js";

const q = (v: string): string => YAML.stringify(v, { lineWidth: 0 }).trimEnd();

/** A directory name as an app name (pinroll.yml's apps: keys: lowercase letters, digits, . _ -). */
export function appNameFrom(dir: string): string {
  const name = dir
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  return name || "app";
}

export interface ConfigInput {
  app: string;
  compose: string;
  registry: string;
  pin: string[];
  plans: ServicePlan[];
}

export function renderConfig(c: ConfigInput): string {
  const lines = [
    "# pinroll.yml, written by pinroll init: see pinroll's README for every key (JSON Schema: pinroll.schema.json).",
    `registry: ${q(c.registry)}`,
    "inventory: ansible/inventory.yml",
    "apps:",
    `  ${c.app}:`,
    `    compose: ${q(c.compose)}`,
    "    hosts: " + q(c.app) + "   # the inventory group this app is deployed to",
    `    deploy_dir: ${q(`/opt/pinroll/${c.app}`)}`,
    "    # Services whose images pinroll pins by digest: one tag (the commit SHA) is deployed to all of them.",
    "    pin:",
    ...c.pin.map((p) => `      - ${q(p)}`),
  ];
  for (const p of c.plans) {
    const what = p.image ? `${p.service} (${p.image})` : p.service;
    if (p.role === "build-only")
      lines.push(
        `    #   to pin: ${what}: built by this project; give it image: ${c.registry}/${c.app}/${p.service} and push that from CI`,
      );
    else lines.push(`    #   ${p.role === "pinned" ? "pinned" : "left to drift"}: ${what}: ${p.why}`);
  }
  lines.push(
    '    tag_pattern: "^[0-9a-f]{7,40}$"   # what a deployable tag looks like (CI\'s short SHA)',
    "    # Checked after every deploy; a failing check puts the previous release back.",
    '    # healthcheck: { url: "http://127.0.0.1:8080/", timeout_s: 30 }',
    "",
  );
  return lines.join("\n");
}

export function renderInventory(app: string): string {
  return [
    "# Ansible inventory for pinroll (YAML). One group per app; host vars override the app's settings.",
    "all:",
    "  children:",
    `    ${app}:`,
    "      hosts:",
    "        # web1.example.com:",
    "        #   ansible_host: 192.0.2.10",
    "        #   ansible_user: deploy",
    `        #   deploy_dir: /opt/pinroll/${app}`,
    "        #   healthcheck_url: http://127.0.0.1:8080/",
    "",
  ].join("\n");
}

/** Includes pinroll's own Taskfile: `task pinroll:deploy TAG=...` from this project. */
export function renderTaskfile(pinrollTaskfile: string): string {
  return [
    "# Taskfile written by pinroll init: pinroll's tasks under pinroll: (task --list shows them).",
    'version: "3"',
    "",
    "includes:",
    `  pinroll: ${q(pinrollTaskfile)}`,
    "",
  ].join("\n");
}

export function includeNote(pinrollTaskfile: string): string {
  return `Taskfile.yml exists: to get pinroll's tasks add under includes:\n  pinroll: ${q(pinrollTaskfile)}`;
}
