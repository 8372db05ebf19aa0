// The confirmation before deploy, update and rollback change anything (issue 11 §1): only on a terminal, never
// with --yes or --dry-run; drawn on stderr like the picker, so stdout keeps only the result.
// @inquirer/prompts' own confirm, imported alone: the whole set would add 0.7 MB to the bundle every start loads.
import confirm from "@inquirer/confirm";
import type { Changelog } from "../release/changes.js";
import { renderChanges } from "./changelog.js";
import { warn } from "./output.js";

/** stdin and stdout are a terminal: a human is there to answer. */
export function onTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/** The gate's `confirm` for a command, or nothing when it must not prompt. */
export function terminalConfirm(opts: Record<string, unknown>, question: string): { confirm?: (c: Changelog) => Promise<boolean> } {
  if (opts.yes || opts.dryRun || !onTerminal()) return {};
  return { confirm: (c) => confirmChanges(c, question) };
}

export async function confirmChanges(changelog: Changelog, question: string): Promise<boolean> {
  for (const w of changelog.warnings) warn(w);
  process.stderr.write(`${renderChanges(changelog.changes)}\n\n`);
  try {
    return await confirm({ message: question, default: false }, { output: process.stderr });
  } catch (err) {
    // Ctrl-C at the prompt is a "no": inquirer rejects with ExitPromptError.
    if (err instanceof Error && err.name === "ExitPromptError") return false;
    throw err;
  }
}
