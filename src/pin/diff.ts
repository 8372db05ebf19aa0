// A unified diff for `pin --dry-run` (issue 4: no new dependency): Myers' O(ND) line diff, 3 lines of context,
// output that `patch -p0` applies (line endings kept, "\ No newline at end of file" where it applies).

type Op = { kind: " " | "-" | "+"; line: string };

/** Lines with their line ending kept, so a changed ending is a changed line. */
function splitLines(text: string): string[] {
  return text ? text.split(/(?<=\n)/) : [];
}

export function diffLines(a: string[], b: string[]): Op[] {
  const max = a.length + b.length;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) [x, y] = [x + 1, y + 1];
      v[off + k] = x;
      if (x >= a.length && y >= b.length) return backtrack(trace, a, b, off);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], off: number): Op[] {
  const ops: Op[] = [];
  let [x, y] = [a.length, b.length];
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[off + prevK]!;
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; x--, y--) ops.push({ kind: " ", line: a[x - 1]! });
    if (d > 0) ops.push(x === prevX ? { kind: "+", line: b[y - 1]! } : { kind: "-", line: a[x - 1]! });
    [x, y] = [prevX, prevY];
  }
  return ops.reverse();
}

/** `--- from` / `+++ to` and hunks; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, from: string, to = from, context = 3): string {
  if (before === after) return "";
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  const out = [`--- ${from}\n`, `+++ ${to}\n`];
  for (let h = 0; h < changed.length;) {
    let last = h;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * context) last++;
    out.push(hunk(ops, Math.max(0, changed[h]! - context), Math.min(ops.length, changed[last]! + context + 1)));
    h = last + 1;
  }
  return out.join("");
}

function hunk(ops: Op[], from: number, to: number): string {
  const before = ops.slice(0, from);
  const oldStart = before.filter((o) => o.kind !== "+").length;
  const newStart = before.filter((o) => o.kind !== "-").length;
  const body = ops.slice(from, to);
  const oldCount = body.filter((o) => o.kind !== "+").length;
  const newCount = body.filter((o) => o.kind !== "-").length;
  const lines = body.map((o) => `${o.kind}${o.line}${o.line.endsWith("\n") ? "" : "\n\\ No newline at end of file\n"}`);
  return `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${lines.join("")}`;
}

/** GNU diff's hunk ranges: `start` alone for one line, the line before with `,0` for none. */
function range(start: number, count: number): string {
  if (count === 1) return `${start + 1}`;
  return `${count === 0 ? start : start + 1},${count}`;
}
