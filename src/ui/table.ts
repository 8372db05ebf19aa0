// Borderless tables in the seeds' style: a header, a dashed rule, aligned columns; multi-line cells stay intact.
import Table from "cli-table3";

const NO_BORDER = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

export function renderTable(head: string[], rows: string[][]): string {
  const table = new Table({ chars: NO_BORDER, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
  table.push(
    head,
    head.map((h) => "-".repeat(h.length)),
    ...rows,
  );
  return table
    .toString()
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
}
