// Presentation for `lock status|acquire|release`.
import type { ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { printLockAcquire, printLockRelease, printLockStatus } from "../ui/lock.js";
import { lockAcquire, lockRelease, lockStatus } from "../commands/lock.js";

type Opts = Record<string, unknown>;

export async function status(app: string | undefined, opts: Opts): Promise<ProcessExit> {
  const r = await lockStatus(app, configOption(opts));
  printLockStatus(r, { json: Boolean(opts.json) });
  return r.exitCode;
}

export async function acquire(app: string | undefined, opts: Opts): Promise<ProcessExit> {
  const r = await lockAcquire(app, String(opts.message ?? ""), { ...configOption(opts), argv: process.argv.slice(2) });
  printLockAcquire(r, { json: Boolean(opts.json) });
  return r.exitCode;
}

export async function release(app: string | undefined, opts: Opts): Promise<ProcessExit> {
  const r = await lockRelease(app, { ...configOption(opts), force: Boolean(opts.force) });
  printLockRelease(r, { json: Boolean(opts.json) });
  return r.exitCode;
}
