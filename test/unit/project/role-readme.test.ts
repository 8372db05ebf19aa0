// README documents the deploy role as Ansible sees it (issue 10 §3): every variable of meta/argument_specs.yml is in
// its table, the table names no other, and the include_role example uses entry points the role has.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { ROOT } from "../../support/project.js";

const ROLE = path.join(ROOT, "ansible/roles/pinroll_deploy");
const specs = (
  YAML.parse(fs.readFileSync(path.join(ROLE, "meta/argument_specs.yml"), "utf8")) as {
    argument_specs: Record<string, { options: Record<string, { required?: boolean }> }>;
  }
).argument_specs;
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("### The playbook as an interface"), readme.indexOf("### What happens when"));

describe("README's role section", () => {
  it("its variable table is the argument spec's variables", () => {
    const documented = new Set(
      [...section.matchAll(/^\| (`pinroll_\w+`(?:, `pinroll_\w+`)*) +\|/gm)].flatMap((m) => m[1]!.match(/pinroll_\w+/g)!),
    );
    const specified = new Set(Object.values(specs).flatMap((e) => Object.keys(e.options)));
    expect([...documented].sort()).toEqual([...specified].sort());
  });

  it("its include_role examples name entry points with a spec and a tasks file", () => {
    const used = [...section.matchAll(/include_role: \{ name: pinroll_deploy, tasks_from: (\w+) \}/g)].map((m) => m[1]!);
    expect(used).toEqual(["login", "lock", "deploy"]);
    for (const e of used) {
      expect(specs[e], e).toBeDefined();
      expect(fs.existsSync(path.join(ROLE, "tasks", `${e}.yml`)), e).toBe(true);
    }
  });

  it("names the variables each entry point requires", () => {
    const required = (e: string) => Object.entries(specs[e]!.options).flatMap(([k, o]) => (o.required ? [k] : []));
    const line = section.slice(section.indexOf("Required at each entry point"));
    for (const e of ["lock", "deploy", "restore", "main"]) for (const v of required(e)) expect(line, `${e}: ${v}`).toContain(`\`${v}\``);
  });
});
