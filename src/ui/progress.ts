// A one-line progress counter on a terminal (`Reading tags... [17/300]`); silent when stderr is not a TTY.
export function progress(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(done, total) {
      if (!tty) return;
      process.stderr.write(`\r${label} [${done}/${total}]`);
      shown = true;
    },
    end() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}

/** A spinner line for work without a count (an Ansible run): shows the last task name Ansible printed. */
export function activity(label: string): { tick: (chunk: string) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let task = "";
  let shown = false;
  return {
    tick(chunk) {
      if (!tty) return;
      const m = [...chunk.matchAll(/^TASK \[(?:[\w.]+ : )?([^\]]+)\]/gm)].at(-1);
      if (m?.[1]) task = m[1];
      process.stderr.write(`\r\x1b[K${label} ${task}`.slice(0, process.stderr.columns || 120));
      shown = true;
    },
    end() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}
