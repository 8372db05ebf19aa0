// The only place pinroll starts a process (STYLE.md 1): commands are data, this runs them.
import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { ToolError } from "../errors.js";

export interface Command {
  /** Program name, resolved through PATH with pinroll's tools dir first. */
  tool: string;
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const toolsBin = process.env.PINROLL_TOOLS_BIN ?? path.join(os.homedir(), ".local/share/pinroll/bin");

export function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${toolsBin}${path.delimiter}${process.env.PATH ?? ""}` };
}

/** A printable form of a command, for --dry-run and --verbose; arguments quoted only when needed. */
export function formatCommand(cmd: Command): string {
  return [cmd.tool, ...cmd.argv].map(shellQuote).join(" ");
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

let verbose = false;
export function setVerbose(on: boolean): void {
  verbose = on;
}

/** Runs a command; a non-zero exit becomes a ToolError unless `allowFailure`. */
export async function run(cmd: Command, opts: { allowFailure?: boolean } = {}): Promise<RunResult> {
  if (verbose) process.stderr.write(`$ ${formatCommand(cmd)}\n`);
  const result = await execa(cmd.tool, cmd.argv, {
    env: { ...toolEnv(), ...cmd.env },
    cwd: cmd.cwd,
    input: cmd.input,
    reject: false,
    stripFinalNewline: true,
  });
  if (result.failed && result.exitCode === undefined) {
    const missing = (result as { code?: string }).code === "ENOENT";
    throw new ToolError(
      cmd.tool,
      cmd.argv,
      undefined,
      result.message ?? "",
      missing ? `${cmd.tool} not found` : `${cmd.tool} could not start: ${result.shortMessage}`,
      1,
      missing ? "run scripts/setup.sh" : undefined,
    );
  }
  const out = { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? 1 };
  if (out.exitCode !== 0 && !opts.allowFailure) {
    throw new ToolError(cmd.tool, cmd.argv, out.exitCode, tail(out.stderr || out.stdout));
  }
  return out;
}

function tail(text: string, lines = 20): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
