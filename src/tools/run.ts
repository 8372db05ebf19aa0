// The only place pinroll starts a process (STYLE.md 1): commands are data, this runs them.
// node:child_process rather than execa: execa's import alone costs ~100 ms, a third of overview's warm budget.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { ToolError } from "../errors.js";
import { installRoot } from "../paths.js";

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

/** PATH for child processes: pinroll's tools dir and its project-local virtualenv (Ansible) first. */
export function toolEnv(): NodeJS.ProcessEnv {
  const venv = path.join(installRoot(), ".venv", "bin");
  return { ...process.env, PATH: [toolsBin, venv, process.env.PATH ?? ""].join(path.delimiter) };
}

/** A printable form of a command, for --dry-run and --verbose; arguments quoted only when needed. */
export function formatCommand(cmd: Command): string {
  return [cmd.tool, ...cmd.argv].map(shellQuote).join(" ");
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

let verbose = false;
export function isVerbose(): boolean {
  return verbose;
}
export function setVerbose(on: boolean): void {
  verbose = on;
}

/** Runs a command; a non-zero exit becomes a ToolError unless `allowFailure`. */
export interface RunOptions {
  allowFailure?: boolean;
  onOutput?: (chunk: string) => void;
  /** its own process group: a terminal's Ctrl-C reaches pinroll only, which decides what the child gets */
  detached?: boolean;
  onSpawn?: (child: ChildProcess) => void;
}

export async function run(cmd: Command, opts: RunOptions = {}): Promise<RunResult> {
  if (verbose) process.stderr.write(`$ ${formatCommand(cmd)}\n`);
  const out = await spawnCollect(cmd, opts);
  if (out.exitCode !== 0 && !opts.allowFailure) {
    throw new ToolError(cmd.tool, cmd.argv, out.exitCode, tail(out.stderr || out.stdout));
  }
  return out;
}

function spawnCollect(cmd: Command, opts: RunOptions): Promise<RunResult> {
  const onOutput = opts.onOutput;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.tool, cmd.argv, {
      env: { ...toolEnv(), ...cmd.env },
      cwd: cmd.cwd,
      stdio: [cmd.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: opts.detached ?? false,
    });
    opts.onSpawn?.(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on("data", (c: Buffer) => {
      stdout.push(c);
      onOutput?.(c.toString("utf8"));
    });
    child.stderr!.on("data", (c: Buffer) => {
      stderr.push(c);
      onOutput?.(c.toString("utf8"));
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      const missing = err.code === "ENOENT";
      reject(
        new ToolError(
          cmd.tool,
          cmd.argv,
          undefined,
          err.message,
          missing ? `${cmd.tool} not found` : `${cmd.tool} could not start: ${err.message}`,
          1,
          missing ? "run scripts/setup.sh" : undefined,
        ),
      );
    });
    child.on("close", (code, signal) => {
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8").replace(/\n$/, "");
      resolve({ stdout: text(stdout), stderr: text(stderr) + (signal ? `\nkilled by ${signal}` : ""), exitCode: code ?? 128 });
    });
    if (cmd.input !== undefined) child.stdin?.end(cmd.input);
  });
}

function tail(text: string, lines = 20): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
