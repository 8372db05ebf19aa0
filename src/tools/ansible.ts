// ansible-playbook argv builder. Variables always go in a file (-e @file), never on a command line (STYLE.md 7),
// every string marked !unsafe so Ansible never templates a value (a commit subject `{{ x }}`, issue 8).
import path from "node:path";
import { Document, visit } from "yaml";
import type { Command } from "./run.js";
import { controlDir } from "./ssh.js";

export interface PlaybookRun {
  ansibleDir: string;
  playbook: string;
  inventory: string;
  varsFile: string;
  /** where pinroll's callback plugin appends each host's outcome as JSON lines */
  resultsFile: string;
  limit?: string;
  verbose?: boolean;
  /** tags of the playbook's optional steps this run does not need (each would still cost a task per host) */
  skipTags?: string[];
}

export const ansibleCmd = {
  playbook: (r: PlaybookRun): Command => ({
    tool: "ansible-playbook",
    argv: [
      "-i",
      r.inventory,
      path.join(r.ansibleDir, r.playbook),
      "-e",
      `@${r.varsFile}`,
      ...(r.limit ? ["--limit", r.limit] : []),
      ...(r.skipTags?.length ? ["--skip-tags", r.skipTags.join(",")] : []),
      ...(r.verbose ? ["-v"] : []),
    ],
    // pinroll's settings win over the operator's environment and any ansible.cfg in the working directory;
    // results come from the callback plugin, so stdout callbacks and display settings change nothing.
    env: {
      ANSIBLE_CONFIG: path.join(r.ansibleDir, "ansible.cfg"),
      ANSIBLE_CALLBACK_PLUGINS: path.join(r.ansibleDir, "callback_plugins"),
      ANSIBLE_CALLBACKS_ENABLED: "pinroll_results",
      // Ansible's SSH sockets in pinroll's own directory, named as pinroll's reads name them (tools/ssh.ts), so
      // both share each master.
      ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
      ANSIBLE_SSH_CONTROL_PATH: "%(directory)s/%%C",
      ANSIBLE_FORCE_COLOR: "0",
      ANSIBLE_NOCOLOR: "1",
      PINROLL_RESULTS: r.resultsFile,
      // issue 14: load only the inventory plugin the file needs (Ansible tries each enabled one in turn).
      ANSIBLE_INVENTORY_ENABLED: inventoryPlugins(r.inventory),
      PYTHONUNBUFFERED: "1",
    },
    cwd: r.ansibleDir,
  }),
};

/** Extra-vars YAML whose every string value is `!unsafe`: Ansible passes it through as data, never as a template. */
export function unsafeVarsYaml(vars: object): string {
  const doc = new Document(vars);
  visit(doc, {
    Scalar(key, node) {
      if (key === "key" || typeof node.value !== "string") return;
      node.tag = "!unsafe";
      node.type = "QUOTE_DOUBLE";
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export function inventoryPlugins(inventory: string): string {
  if (/\.ya?ml$/.test(inventory)) return "yaml";
  if (/\.(ini|cfg)$|\/hosts$/.test(inventory)) return "ini";
  return "host_list,script,auto,yaml,ini,toml";
}
