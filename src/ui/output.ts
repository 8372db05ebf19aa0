// stdout is for results (JSON or tables), stderr for warnings and progress.
import { pc } from "./color.js";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${pc.yellow("warning:")} ${message}\n`);
}
