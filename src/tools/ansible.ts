// ansible-playbook argv builder; variables always go in a JSON file (-e @file), never on a command line (STYLE.md 7).
import path from "node:path";
import type { Command } from "./run.js";
import { ansibleControlDir } from "./ssh.js";

export interface PlaybookRun {
  ansibleDir: string;
  playbook: string;
  inventory: string;
  varsFile: string;
  limit?: string;
  verbose?: boolean;
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
      ...(r.verbose ? ["-v"] : []),
    ],
    env: {
      ANSIBLE_CONFIG: path.join(r.ansibleDir, "ansible.cfg"),
      ANSIBLE_SSH_CONTROL_PATH_DIR: ansibleControlDir,
      ANSIBLE_FORCE_COLOR: "0",
      ANSIBLE_NOCOLOR: "1",
      PYTHONUNBUFFERED: "1",
    },
    cwd: r.ansibleDir,
  }),
};
