// The only place pinroll starts a process (STYLE.md 1): commands are data, this runs them through execa (argv, no shell).
// execa is imported on the first run, not at start-up: commands that start no process never pay for it.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { ToolError } from "../errors.js";
import { toolDirs } from "../paths.js";

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

/** PATH for child processes: pinroll's tools dir and its project-local virtualenv (Ansible) first. */
export function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: [...toolDirs(), process.env.PATH ?? ""].join(path.delimiter) };
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

async function spawnCollect(cmd: Command, opts: RunOptions): Promise<RunResult> {
  const { execa } = await import("execa");
  const child = execa(cmd.tool, cmd.argv, {
    env: { ...toolEnv(), ...cmd.env },
    extendEnv: false,
    ...(cmd.cwd ? { cwd: cmd.cwd } : {}),
    ...(cmd.input === undefined ? { stdin: "ignore" as const } : { input: cmd.input }),
    detached: opts.detached ?? false,
    // A child outlives a pinroll that dies only as it would with child_process; ship.ts handles Ctrl-C itself.
    cleanup: false,
    reject: false,
    maxBuffer: 1024 * 1024 * 1024,
  });
  // execa's subprocess is a node ChildProcess (pid, exitCode, 'close'), with its result promise mixed in.
  opts.onSpawn?.(child as unknown as ChildProcess);
  const onOutput = opts.onOutput;
  if (onOutput) {
    child.stdout?.on("data", (c: Buffer) => onOutput(c.toString("utf8")));
    child.stderr?.on("data", (c: Buffer) => onOutput(c.toString("utf8")));
  }
  const res = await child;
  if (res.failed && res.exitCode === undefined && !res.signal) {
    const code = (res as { code?: string }).code;
    const missing = code === "ENOENT";
    const message = res.cause instanceof Error ? res.cause.message : (res.shortMessage ?? "spawn failed");
    throw new ToolError(
      cmd.tool,
      cmd.argv,
      undefined,
      message,
      missing ? `${cmd.tool} not found` : `${cmd.tool} could not start: ${message}`,
      1,
      missing ? "run scripts/setup.sh" : undefined,
    );
  }
  const text = (out: unknown) => (typeof out === "string" ? out : "");
  return {
    stdout: text(res.stdout),
    stderr: text(res.stderr) + (res.signal ? `\nkilled by ${res.signal}` : ""),
    exitCode: res.exitCode ?? 128,
  };
}

function tail(text: string, lines = 20): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
