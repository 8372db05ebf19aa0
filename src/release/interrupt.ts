// SIGINT and SIGTERM while a release is applied (issue 8): the first one stops Ansible and the run restores every
// host; any further one only says that it is restoring, so no host is left half-done.
import type { ExitCode, ProcessExit } from "../errors.js";

export type Interrupt = "SIGINT" | "SIGTERM";

export function onInterrupt(stop: () => void): { signal: () => Interrupt | undefined; restoring: () => void; dispose: () => void } {
  let got: Interrupt | undefined;
  let restoring = false;
  const handler = (sig: Interrupt) => {
    if (got || restoring) {
      process.stderr.write("\nstill restoring the previous release on every host; please wait, it leaves no host half-done\n");
      return;
    }
    got = sig;
    process.stderr.write(
      `\n${sig === "SIGINT" ? "interrupted" : "terminated"}: stopping Ansible, then putting the previous release back on every host\n`,
    );
    stop();
  };
  const onInt = () => handler("SIGINT");
  const onTerm = () => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: () => got,
    restoring: () => void (restoring = true),
    dispose: () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}

export const INTERRUPT_EXIT: Record<Interrupt, Exclude<ProcessExit, ExitCode>> = { SIGINT: 130, SIGTERM: 143 };
