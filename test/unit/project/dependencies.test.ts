// Every package.json dependency is used (issue 10): each runtime dependency imported somewhere in src/ or scripts/,
// each dev dependency imported by a test, bench or config file, run as a command by the build and test scripts,
// or the types of a package that is.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../support/project.js";

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function sources(dirs: string[], ext = /\.(ts|mjs|cjs|js)$/): string {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== "node_modules" && name !== "fixtures") walk(path.join(p, name));
    } else if (ext.test(p)) out.push(fs.readFileSync(p, "utf8"));
  };
  for (const d of dirs) walk(path.join(ROOT, d));
  return out.join("\n");
}

/** Names a source text imports: `from "x"`, `from "x/sub"`, `import("x")`, `require("x")`. */
function imported(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["']([^"'.][^"']*)["']/g)) {
    const spec = m[1]!;
    if (spec.startsWith("node:")) continue;
    const parts = spec.split("/");
    names.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
  }
  return names;
}

const binsOf = (dep: string): string[] => {
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", dep, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>;
  };
  if (!meta.bin) return [];
  return typeof meta.bin === "string" ? [dep.split("/").pop()!] : Object.keys(meta.bin);
};

describe("package.json dependencies", () => {
  it("are each imported somewhere in src/ or scripts/", () => {
    const used = imported(sources(["src", "scripts"]));
    const unused = Object.keys(pkg.dependencies).filter((d) => !used.has(d));
    expect(unused).toEqual([]);
  });

  it("dev dependencies are each imported by tests, benches or config, run by a script, or the types of one that is", () => {
    const used = imported(sources(["src", "scripts", "test", "bench"]) + sources(["eslint.config.js", "vitest.config.ts"]));
    const commands = [
      ...Object.values(pkg.scripts),
      sources(["scripts"], /\.sh$/),
      fs.readFileSync(path.join(ROOT, "Taskfile.yml"), "utf8"),
    ].join("\n");
    const runs = (dep: string) => binsOf(dep).some((bin) => new RegExp(`(^|[\\s;&|(])(npx\\s+)?${bin}(\\s|$)`, "m").test(commands));
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    const typesFor = (dep: string) => {
      const of = dep.replace(/^@types\//, "").replace(/^(.+)__(.+)$/, "@$1/$2");
      return of === "node" || of in all;
    };
    const unused = Object.keys(pkg.devDependencies).filter((d) => !used.has(d) && !runs(d) && !(d.startsWith("@types/") && typesFor(d)));
    expect(unused).toEqual([]);
  });

  it("would notice an unused one (the import scan sees only real imports)", () => {
    expect([...imported('import a from "p-limit";\nconst b = await import("execa");\n// "zod" in a comment\n')]).toEqual([
      "p-limit",
      "execa",
    ]);
    expect([...imported('import { x } from "@inquirer/prompts/sub";\nimport "./local.js";\n')]).toEqual(["@inquirer/prompts"]);
  });
});
