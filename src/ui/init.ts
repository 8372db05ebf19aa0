// `init`: what was written, what was left alone, and the three things to edit.
import type { InitResult } from "../commands/init.js";

export function renderInit(r: InitResult): string {
  const pinned = r.services.filter((s) => s.role === "pinned").map((s) => s.service);
  const toPin = r.services.filter((s) => s.role === "build-only").map((s) => s.service);
  const drift = r.services.filter((s) => s.role === "stateful" || s.role === "third-party").map((s) => s.service);
  return [
    ...r.wrote.map((f) => `wrote ${f}`),
    ...r.kept.map((f) => `kept ${f} (exists; not overwritten)`),
    ...r.notes,
    `app ${r.app} from ${r.compose}: pinned ${pinned.join(", ") || "none yet"}${toPin.length ? `; to pin once they have an image: ${toPin.join(", ")}` : ""}; left to drift ${drift.join(", ") || "none"}`,
    "",
    "Edit next:",
    ...r.edit.map((e, i) => `  ${i + 1}. ${e}`),
    "Then: pinroll doctor",
  ].join("\n");
}
