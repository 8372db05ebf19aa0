// The compose runner and where health is checked (issue 14): the default shell step, community.docker's module
// (host var pinroll_compose_runner: module) and healthcheck.from: controller all go live, verify the digest, and
// put the previous release back when the healthcheck fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { containers, httpGet, makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/runner/app`;
let s: SampleImage[];
const apps: AppProject[] = [];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second", "broken"], broken: ["broken"] });
}, 240_000);
afterAll(async () => {
  for (const a of apps) await a.cleanup();
});

const variants: [string, Parameters<typeof makeApp>[1]][] = [
  [
    "the module runner",
    {
      hosts: (p) => [
        {
          name: "localhost",
          vars: {
            ansible_connection: "local",
            ansible_python_interpreter: "{{ ansible_playbook_python }}",
            deploy_dir: `${p.dir}/hosts/localhost`,
            compose_project: `pinroll-runner-${process.pid}-m`,
            pinroll_compose_runner: "module",
          },
        },
      ],
    },
  ],
  ["a healthcheck from the controller", { appExtra: { healthcheck: { url: "PLACEHOLDER", timeout_s: 4, from: "controller" } } }],
];

describe("compose runners", () => {
  for (const [name, opts] of variants) {
    it(`${name}: goes live, then puts the previous release back on a failed healthcheck`, async () => {
      const a = await makeApp(repo, opts);
      apps.push(a);
      if (name.includes("controller")) {
        const fs = await import("node:fs");
        fs.writeFileSync(a.configFile, fs.readFileSync(a.configFile, "utf8").replace("PLACEHOLDER", a.url));
      }
      const [A, , bad] = s;
      const r = await a.run(["deploy", A!.tag]);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect((await httpGet(a.url)).body).toBe(`hello from ${A!.tag}: first\n`);
      const project = name.includes("module") ? `pinroll-runner-${process.pid}-m` : a.project;
      expect((await containers(project)).map((c) => c.digests)).toEqual([[await digestOf(`${repo}:${A!.tag}`)]]);

      const b = await a.run(["deploy", bad!.tag]);
      expect(b.code).toBe(1);
      expect(b.stdout).toMatch(/not healthy/);
      expect((await containers(project)).map((c) => c.digests)).toEqual([[await digestOf(`${repo}:${A!.tag}`)]]);
      const v = JSON.parse((await a.run(["version", "--json"])).stdout);
      expect(v.hosts[0].release.services.web.tag).toBe(A!.tag);
    });
  }
});
