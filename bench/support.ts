// Shared pieces of the benchmarks: a throwaway registry on loopback, timing, and printing figures.
import { performance } from "node:perf_hooks";

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
