// Results are read as data (issue 8): an operator's own Ansible settings — another stdout callback, hidden ok
// hosts, YAML results, colour on or off, an ansible.cfg in the working directory — change nothing pinroll reads.
// Also: a 300 KB compose file ships (it travels in pieces: a command line holds at most 128 KiB).
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { containers, makeApp, type AppProject } from "../support/app.js";

const registry = inject("registry");
const repo = `${registry}/settings/app`;
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["one", "two", "three"], broken: ["three"] });
  a = await makeApp(repo);
}, 240_000);
afterAll(async () => a?.cleanup());

const SETTINGS: Record<string, string>[] = [
  { ANSIBLE_STDOUT_CALLBACK: "yaml" },
  { ANSIBLE_STDOUT_CALLBACK: "json" },
  { ANSIBLE_DISPLAY_OK_HOSTS: "false" },
  { ANSIBLE_CALLBACK_RESULT_FORMAT: "yaml" },
  { ANSIBLE_NOCOLOR: "1" },
  { ANSIBLE_FORCE_COLOR: "1" },
];

describe("the operator's Ansible settings", () => {
  for (const [i, env] of SETTINGS.entries()) {
    it(`deploys and reports success under ${Object.entries(env)[0]!.join("=")}`, async () => {
      const target = s[i % 2]!;
      const r = await a.run(["deploy", target.tag, "--json"], { env });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(JSON.parse(r.stdout).hosts).toEqual([{ host: "localhost", ok: true }]);
    });
  }

  it("ignores an ansible.cfg in the working directory", async () => {
    fs.writeFileSync(
      path.join(a.dir, "ansible.cfg"),
      "[defaults]\nstdout_callback = json\ndisplay_ok_hosts = False\ncallbacks_enabled = timer\n",
    );
    const r = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).hosts).toEqual([{ host: "localhost", ok: true }]);
  });

  it("a failure still reads as a failure with its reason", async () => {
    const r = await a.run(["deploy", s[2]!.tag, "--json"], { env: { ANSIBLE_STDOUT_CALLBACK: "json", ANSIBLE_DISPLAY_OK_HOSTS: "false" } });
    expect(r.code).toBe(1);
    const [host] = JSON.parse(r.stdout).hosts;
    expect(host).toMatchObject({ host: "localhost", ok: false });
    expect(host.error).toMatch(/not healthy/);
    expect(host.error).toMatch(/previous release put back/);
  });
});

describe("a large compose file", () => {
  it("ships and deploys a 300 KB compose file byte for byte", async () => {
    const file = path.join(a.dir, "stack/docker-compose.yml");
    const compose = YAML.parse(fs.readFileSync(file, "utf8"));
    compose["x-padding"] = Object.fromEntries(Array.from({ length: 3100 }, (_, i) => [`k${i}`, "p".repeat(90)]));
    const text = YAML.stringify(compose);
    expect(text.length).toBeGreaterThan(300_000);
    fs.writeFileSync(file, text);
    const r = await a.run(["deploy", s[1]!.tag]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(fs.readFileSync(path.join(a.deployDir, "docker-compose.yml"), "utf8")).toBe(text);
    expect((await containers(a.project)).length).toBe(1);
    expect(fs.existsSync(path.join(a.deployDir, ".pinroll/incoming"))).toBe(false);
  });
});
