// Hosts of an app from a YAML Ansible inventory: groups, children and vars with Ansible's precedence
// (all < parent group < child group < host). pinroll reads it itself so read commands need no Python start-up.
import fs from "node:fs";
import YAML from "yaml";
import { UsageError } from "../errors.js";

export interface Host {
  name: string;
  vars: Record<string, unknown>;
}

interface Group {
  hosts?: Record<string, Record<string, unknown> | null> | null;
  children?: Record<string, Group | null> | null;
  vars?: Record<string, unknown> | null;
}

export function loadInventory(file: string): Record<string, Group> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`inventory ${file} not found`, "fix inventory: in pinroll.yml");
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new UsageError(`inventory ${file} is not valid YAML (pinroll reads YAML inventories)`);
  return (doc.toJS() ?? {}) as Record<string, Group>;
}

/** Hosts matching a pattern of group or host names joined by ":" or ",", in inventory order. */
export function hostsFor(inventory: Record<string, Group>, pattern: string, file = "inventory"): Host[] {
  const all = collect(inventory);
  const wanted = pattern.split(/[:,]/).filter(Boolean);
  const out = new Map<string, Host>();
  for (const name of wanted) {
    const members = name === "all" ? [...all.hostVars.keys()] : (all.groupHosts.get(name) ?? (all.hostVars.has(name) ? [name] : undefined));
    if (!members) throw new UsageError(`no group or host "${name}" in ${file}`);
    for (const h of members) out.set(h, { name: h, vars: all.hostVars.get(h) ?? {} });
  }
  if (out.size === 0) throw new UsageError(`"${pattern}" matches no hosts in ${file}`);
  return [...out.values()];
}

function collect(inventory: Record<string, Group>) {
  const groupHosts = new Map<string, string[]>();
  const hostVars = new Map<string, Record<string, unknown>>();
  const visit = (name: string, group: Group, inherited: Record<string, unknown>): string[] => {
    const vars = { ...inherited, ...(group.vars ?? {}) };
    const members: string[] = [];
    for (const [host, hv] of Object.entries(group.hosts ?? {})) {
      hostVars.set(host, { ...(hostVars.get(host) ?? {}), ...vars, ...(hv ?? {}) });
      members.push(host);
    }
    for (const [child, g] of Object.entries(group.children ?? {})) members.push(...visit(child, g ?? {}, vars));
    groupHosts.set(name, [...new Set([...(groupHosts.get(name) ?? []), ...members])]);
    return members;
  };
  for (const [name, group] of Object.entries(inventory)) visit(name, group ?? {}, {});
  return { groupHosts, hostVars };
}
