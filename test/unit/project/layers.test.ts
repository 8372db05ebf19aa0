// Every import in src/ points down (issue 10): a directory imports only from directories ranked below it, or from
// itself. The ranks are the layering README's "Layout" section describes; a new directory must be given one here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../support/project.js";

/** Low to high. Root files: errors.ts and paths.ts at the bottom, cli.ts (the entry point) at the top. */
const RANK: Record<string, number> = {
  "errors.ts": 0,
  "paths.ts": 1,
  fs: 1,
  image: 1,
  compose: 2,
  config: 3,
  tools: 4,
  lock: 5,
  registry: 5,
  hosts: 6,
  pin: 6,
  init: 6,
  release: 7,
  doctor: 8,
  notify: 8,
  policy: 8,
  promote: 8,
  prune: 8,
  update: 8,
  verify: 8,
  commands: 9,
  ui: 10,
  cli: 11,
  "cli.ts": 12,
};

const SRC = path.join(ROOT, "src");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The layer of a file under src/: its top directory, or its own name for a root file. */
const layerOf = (file: string): string => path.relative(SRC, file.replace(/\.js$/, ".ts")).split(path.sep)[0]!;

/** Relative specifiers a source imports, statically, by `export ... from` or with `import()`. */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.\.?\/[^"']+)["']/g)].map((m) => m[1]!);
}

describe("layers", () => {
  const files = sources(SRC);

  it("every file of src/ is in a ranked layer", () => {
    const unranked = [...new Set(files.map(layerOf))].filter((l) => RANK[l] === undefined);
    expect(unranked).toEqual([]);
  });

  it("every import points to a lower layer or the same one", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of relativeImports(fs.readFileSync(file, "utf8"))) {
        const to = layerOf(path.resolve(path.dirname(file), spec));
        if (to !== from && !(RANK[to]! < RANK[from]!)) upward.push(`${path.relative(ROOT, file)} imports ${spec} (${from} -> ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("commands/ returns data only: nothing in it imports ui/ or cli/", () => {
    const offenders = files
      .filter((f) => layerOf(f) === "commands")
      .filter((f) => relativeImports(fs.readFileSync(f, "utf8")).some((s) => /(^|\/)(ui|cli)\//.test(s)));
    expect(offenders).toEqual([]);
  });

  it("README's Layout table gives every layer the rank it has here", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Layout\n"), readme.indexOf("\n## ", readme.indexOf("\n## Layout\n") + 1));
    const documented: Record<string, number> = {};
    for (const [, rank, layers] of section.matchAll(/^\| (\d+) +\| ([^|]+)\|/gm))
      for (const [, name] of layers!.matchAll(/`(?:src\/)?([\w.-]+)/g)) documented[name!] = Number(rank);
    expect(documented).toEqual(RANK);
  });

  it("the check would see an upward import", () => {
    // The regexp and the ranks together: a hosts/ file importing release/ is reported.
    const spec = relativeImports('import { x } from "../release/history.js";\nconst y = await import("../ui/output.js");');
    expect(spec).toEqual(["../release/history.js", "../ui/output.js"]);
    const from = "hosts";
    const upward = spec.map((s) => layerOf(path.resolve(SRC, from, s))).filter((to) => !(RANK[to]! < RANK[from]!));
    expect(upward).toEqual(["release", "ui"]);
  });
});
