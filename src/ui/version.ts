// `version`: per host its deploy dir, then SERVICE | TAG | DIGEST | UPDATED and who deployed it.
import type { VersionResult } from "../commands/version.js";
import { formatCreated } from "./overview.js";
import { renderTable } from "./table.js";

export function renderVersion(result: VersionResult): string {
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
  return `Image versions of ${result.app} (from deploy-info.yml)\n\n${blocks.join("\n\n")}`;
}
