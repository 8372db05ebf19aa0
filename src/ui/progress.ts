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
