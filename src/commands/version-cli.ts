// Presentation for `version`.
import { configOption } from "./options.js";
import { formatCreated } from "../ui/overview.js";
import { printJson, printText, warn } from "../ui/output.js";
import { renderTable } from "../ui/table.js";
import { version } from "./version.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<void> {
  const result = await version(app, configOption(opts));
  for (const h of result.hosts) for (const w of [...(h.error ? [h.error] : []), ...(h.drift ?? [])]) warn(w);
  if (opts.json) {
    printJson(result);
    return;
  }
  const blocks = result.hosts.map((h) => {
    const head = `${h.host}  (${h.deploy_dir})`;
    if (h.error) return `${head}\n  unreadable: ${h.error}`;
    if (!h.release) return `${head}\n  No pins, using tags as written`;
    const rows = Object.entries(h.release.services).map(([svc, s]) => [
      svc,
      s.tag || "-",
      s.digest.slice(0, 19),
      formatCreated(h.release!.deployed_at),
    ]);
    return `${head}\n${renderTable(["SERVICE", "TAG", "DIGEST", "UPDATED"], rows)}\nDeployed by ${h.release.deployed_by} (${h.release.kind})`;
  });
  printText(`Image versions of ${result.app} (from deploy-info.yml)\n\n${blocks.join("\n\n")}`);
}
