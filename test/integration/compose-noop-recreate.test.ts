// Seed 003's regression: a tag whose digest moved. With the plain tag in compose, `docker compose up -d` is a
// legal no-op and the container stays on the old digest; pinroll's override pins the digest, so compose must recreate.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { run } from "../../src/tools/run.js";
import { containers, httpGet, makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/seed003/app`;
let s: SampleImage[];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["old build", "new build"], latest: false });
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe("a mutable tag that moved", () => {
  it("plain tag: docker compose up -d keeps the old container on the old digest", async () => {
    await runCrane(craneCmd.tag(`${repo}:${s[0]!.tag}`, "moving"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-seed003-"));
    const port = await freePort();
    const project = `pinroll-plain-${process.pid}`;
    fs.writeFileSync(
      path.join(dir, "docker-compose.yml"),
      YAML.stringify({
        services: { web: { image: `${repo}:moving`, init: true, network_mode: "host", environment: { PORT: String(port) } } },
      }),
    );
    const compose = (...args: string[]) => run({ tool: "docker", argv: ["compose", "--project-name", project, ...args], cwd: dir });
    cleanups.push(() => compose("down", "--timeout", "1"));
    await compose("up", "-d", "--pull", "always");
    const [first] = await containers(project);
    expect(first!.digests).toEqual([await digestOf(`${repo}:${s[0]!.tag}`)]);

    await runCrane(craneCmd.tag(`${repo}:${s[1]!.tag}`, "moving"));
    await compose("up", "-d");
    const [second] = await containers(project);
    expect(second!.id).toBe(first!.id); // not recreated: the no-op seed 003 describes
    expect(second!.digests).toEqual([await digestOf(`${repo}:${s[0]!.tag}`)]);
    expect((await httpGet(`http://127.0.0.1:${port}/`)).body).toContain("old build");
  });

  it("pinroll deploy of the moved tag recreates the container on the new digest", async () => {
    const a: AppProject = await makeApp(repo);
    cleanups.push(() => a.cleanup());
    await runCrane(craneCmd.tag(`${repo}:${s[0]!.tag}`, "moving"));
    expect((await a.run(["deploy", "moving", "--allow-mutable"])).code).toBe(0);
    const [first] = await containers(a.project);
    expect(first!.digests).toEqual([await digestOf(`${repo}:${s[0]!.tag}`)]);

    await runCrane(craneCmd.tag(`${repo}:${s[1]!.tag}`, "moving"));
    const res = await a.run(["deploy", "moving", "--allow-mutable", "--json"]);
    expect(res.code).toBe(0);
    const newDigest = await digestOf(`${repo}:${s[1]!.tag}`);
    expect(JSON.parse(res.stdout).release.services.web).toMatchObject({ tag: "moving", digest: newDigest });
    const [second] = await containers(a.project);
    expect(second!.id).not.toBe(first!.id);
    expect(second!.digests).toEqual([newDigest]);
    expect((await httpGet(a.url)).body).toContain("new build");
  });
});
