// Presentation for `ci-meta`.
import { EXIT, type ProcessExit } from "../errors.js";
import { renderCiMeta, type CiMetaFormat } from "../ui/ci-meta.js";
import { printText, warn } from "../ui/output.js";
import { ciMeta } from "../commands/ci-meta.js";

export async function run(opts: Record<string, unknown>): Promise<ProcessExit> {
  const str = (k: string) => (typeof opts[k] === "string" ? { [k]: opts[k] as string } : {});
  const meta = await ciMeta({ ...str("dir"), ...str("rev"), ...str("env"), ...str("image"), ...str("source"), ...str("signKey") });
  for (const w of meta.warnings) warn(w);
  printText(renderCiMeta(meta, (opts.format as CiMetaFormat) ?? "json"));
  return EXIT.ok;
}
