// Hosts of an app from a YAML Ansible inventory: groups, children and vars with Ansible's precedence
// (all < parent group < child group < host). pinroll reads it itself so read commands need no Python start-up.
import fs from "node:fs";
import YAML from "yaml";
import { UsageError } from "../errors.js";
import { byName } from "../image/order.js";

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
  const seen = parsed.get(file);
  if (seen?.text === text) return seen.groups;
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new UsageError(`inventory ${file} is not valid YAML (pinroll reads YAML inventories)`);
  const groups = Object.freeze((doc.toJS() ?? {}) as Record<string, Group>);
  parsed.set(file, { text, groups });
  return groups;
}

/** A deploy asks for the hosts three times (issue 14: ~6 ms of YAML each); the file is read each time, parsed once. */
const parsed = new Map<string, { text: string; groups: Record<string, Group> }>();

/** Hosts matching a pattern of group or host names joined by ":" or ",", in inventory order. */
export function hostsFor(inventory: Record<string, Group>, pattern: string, file = "inventory"): Host[] {
  const inv = collect(inventory);
  const wanted = pattern.split(/[:,]/).filter(Boolean);
  const out = new Map<string, Host>();
  for (const name of wanted) {
    const members = name === "all" ? inv.hosts : inv.groups.has(name) ? inv.members(name) : inv.hosts.includes(name) ? [name] : undefined;
    if (!members) throw new UsageError(`no group or host "${name}" in ${file}`);
    for (const h of members) out.set(h, { name: h, vars: inv.varsOf(h) });
  }
  if (out.size === 0) throw new UsageError(`"${pattern}" matches no hosts in ${file}`);
  return [...out.values()];
}

interface GroupNode {
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

/**
 * A group may be defined in several places (`prod: {children: {web: }}` names a group defined elsewhere), so
 * definitions are merged by name first; vars then apply in Ansible's order: group depth, then name, then the host's.
 */
function collect(inventory: Record<string, Group>) {
  const groups = new Map<string, GroupNode>();
  const hostVars = new Map<string, Record<string, unknown>>();
  const define = (name: string, group: Group | null, seen: Set<string>): void => {
    const node = groups.get(name) ?? { hosts: [], children: [], vars: {} };
    groups.set(name, node);
    if (seen.has(name)) return;
    Object.assign(node.vars, group?.vars ?? {});
    for (const [host, hv] of Object.entries(group?.hosts ?? {})) {
      if (!node.hosts.includes(host)) node.hosts.push(host);
      hostVars.set(host, { ...(hostVars.get(host) ?? {}), ...(hv ?? {}) });
    }
    for (const [child, g] of Object.entries(group?.children ?? {})) {
      if (!node.children.includes(child)) node.children.push(child);
      define(child, g, new Set([...seen, name]));
    }
  };
  for (const [name, group] of Object.entries(inventory)) define(name, group, new Set());

  const depth = new Map<string, number>();
  const deepen = (name: string, d: number, path: Set<string>): void => {
    if (path.has(name) || (depth.get(name) ?? -1) >= d) return;
    depth.set(name, d);
    for (const child of groups.get(name)?.children ?? []) deepen(child, d + 1, new Set([...path, name]));
  };
  deepen("all", 0, new Set());
  for (const name of Object.keys(inventory)) if (name !== "all") deepen(name, 1, new Set(["all"]));

  const members = (name: string, path = new Set<string>()): string[] => {
    const node = groups.get(name);
    if (!node || path.has(name)) return [];
    const inner = new Set([...path, name]);
    return [...new Set([...node.hosts, ...node.children.flatMap((c) => members(c, inner))])];
  };
  const varsOf = (host: string): Record<string, unknown> => {
    const mine = [...groups.keys()].filter((g) => g === "all" || members(g).includes(host));
    mine.sort((a, b) => (depth.get(a) ?? 1) - (depth.get(b) ?? 1) || byName(a, b));
    return Object.assign({}, ...mine.map((g) => groups.get(g)!.vars), hostVars.get(host)) as Record<string, unknown>;
  };
  return { groups, hosts: [...hostVars.keys()], members, varsOf };
}
