// Presentation for `init`: what was written, what was left alone, and the three things to edit.
import { EXIT, type ProcessExit } from "../errors.js";
import { renderInit } from "../ui/init.js";
import { printText } from "../ui/output.js";
import { init } from "../commands/init.js";

export async function run(file: string | undefined, _opts: Record<string, unknown>): Promise<ProcessExit> {
  const r = init(file);
  printText(renderInit(r));
  return EXIT.ok;
}
