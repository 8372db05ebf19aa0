// Each host's outcome, read as data from the JSON lines pinroll's callback plugin writes (issue 8): the operator's
// stdout callback, colour and display settings cannot change what pinroll reads.
import fs from "node:fs";

export interface HostResult {
  host: string;
  ok: boolean;
  error?: string;
  /** a run cut off earlier had left this host half-done; this run rewrote it */
  halfdone?: string;
  /** the lock holder's record when a held lock refused the run */
  held?: string;
  /** after an interrupt or a failure: what the host did to put the previous release back */
  restore?: string;
  /** after an interrupt: the live deploy-info.yml text, "" when nothing is live */
  live?: string;
}

interface Event {
  host: string;
  task: string;
  status: "ok" | "failed" | "unreachable";
  ignored?: boolean;
  result?: { ok?: boolean | string; error?: string; halfdone?: string; held?: string; restore?: string; live?: string };
  msg?: string;
  warning?: string;
}

export function readResults(file: string, hosts: string[], exitCode: number): { hosts: HostResult[]; warnings: string[] } {
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    // no event at all: ansible-playbook failed before any task (inventory, syntax)
  }
  return { hosts: parseResults(text, hosts, exitCode), warnings: parseWarnings(text) };
}

/** Warnings the playbook reports as data (a failed post_deploy or on_failure hook). */
export function parseWarnings(jsonl: string): string[] {
  const out: string[] = [];
  for (const line of jsonl.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as Event;
    if (e.warning) out.push(e.warning);
  }
  return out;
}

export function parseResults(jsonl: string, hosts: string[], exitCode: number): HostResult[] {
  const reported = new Map<string, HostResult>();
  const faults = new Map<string, string>();
  for (const line of jsonl.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as Event;
    if (e.result) reported.set(e.host, toResult(e.host, e.result));
    else if (e.status === "unreachable") faults.set(e.host, `unreachable: ${firstLine(e.msg)}`);
    else if (e.status === "failed" && !e.ignored) faults.set(e.host, `${e.task}: ${firstLine(e.msg)}`);
  }
  return hosts.map((host) => {
    const r = reported.get(host);
    if (r && (r.ok || r.error || r.restore !== undefined)) return r;
    const fault = faults.get(host);
    return { host, ok: false, error: fault ?? `no result from ansible-playbook (exit ${exitCode}); run with --verbose` };
  });
}

function toResult(host: string, r: NonNullable<Event["result"]>): HostResult {
  const ok = r.ok === true || r.ok === "True" || r.ok === "true";
  const out: HostResult = { host, ok };
  if (!ok) out.error = r.error?.trim() || "failed";
  if (r.halfdone) out.halfdone = r.halfdone;
  if (r.held) out.held = r.held;
  if (r.restore) out.restore = r.restore;
  if (r.live !== undefined) out.live = r.live ? Buffer.from(r.live, "base64").toString("utf8") : "";
  return out;
}

function firstLine(msg: string | undefined): string {
  return (msg ?? "failed").trim().split("\n")[0] ?? "failed";
}
