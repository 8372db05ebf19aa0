// Shared pieces of the benchmarks: a throwaway registry on loopback, timing, and printing figures.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import YAML from "yaml";
import { toolEnv } from "../src/tools/run.js";
import { CLI } from "../test/support/project.js";

export { startRegistry } from "../test/support/registry.js";

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - start) / 1000, value };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function row(label: string, seconds: number, note = ""): void {
  console.log(`${label.padEnd(58)} ${seconds.toFixed(3).padStart(8)} s  ${note}`);
}

export function ratio(label: string, value: number, goal: string, ok: boolean): void {
  console.log(`${label.padEnd(58)} ${value.toFixed(2).padStart(8)} x  goal ${goal}  ${ok ? "MET" : "NOT MET"}`);
}

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** peak resident set of the pinroll process (VmHWM), from GNU time's %M */
  peakMb: number;
}

/** Runs `pinroll ARGS` under /usr/bin/time, for its wall time and its peak RSS (issue 14's memory goal). */
export async function runPinrollMeasured(args: string[], cwd: string): Promise<MeasuredRun> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-time-")), "rss");
  const start = performance.now();
  const res = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", out, process.execPath, "--", CLI, ...args], {
      cwd,
      env: { ...toolEnv(), PINROLL_CONFIG: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(chunks).toString(), stderr }));
  });
  const seconds = (performance.now() - start) / 1000;
  const kb = Number(fs.readFileSync(out, "utf8").trim().split("\n").at(-1));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { ...res, seconds, peakMb: kb / 1024 };
}

/** A figure against its goal in its own unit (seconds, MB), where `ratio` prints a factor. */
export function goal(label: string, value: number, unit: string, target: string, ok: boolean): void {
  console.log(`${label.padEnd(58)} ${value.toFixed(unit === "MB" ? 0 : 3).padStart(8)} ${unit}  goal ${target}  ${ok ? "MET" : "NOT MET"}`);
}

/** A throwaway pinroll project whose one app pins `image` on localhost: what the overview benchmarks read. */
export function overviewProject(image: string, prefix: string): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(project, "inventory.yml"), YAML.stringify({ all: { hosts: { localhost: { ansible_connection: "local" } } } }));
  fs.writeFileSync(path.join(project, "compose.yml"), YAML.stringify({ services: { app: { image: `${image}:latest` } } }));
  fs.writeFileSync(
    path.join(project, "pinroll.yml"),
    YAML.stringify({
      inventory: "inventory.yml",
      apps: { app: { compose: "compose.yml", hosts: "all", deploy_dir: path.join(project, "deploy"), pin: [image] } },
    }),
  );
  return project;
}
