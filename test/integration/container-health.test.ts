// A Docker healthcheck in the compose file (issue 14): apply.sh starts the release with `up --detach` and waits
// itself (wait_up in lib.sh) where compose's --wait polled every half second. The deploy must still wait for a
// container whose healthcheck is starting, and fail (putting the previous release back) on one that turns unhealthy.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { run } from "../../src/tools/run.js";
import { containers, makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/health/app`;
let s: SampleImage[];
const apps: AppProject[] = [];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["healthy release", "next release"] });
});
afterAll(async () => {
  for (const a of apps) await a.cleanup();
});

/** An app whose compose service has this Docker healthcheck (the URL healthcheck of pinroll.yml left out). */
async function appWithHealthcheck(test: string[]): Promise<AppProject> {
  const a = await makeApp(repo, { appExtra: { healthcheck: undefined } });
  apps.push(a);
  const file = path.join(a.dir, "stack/docker-compose.yml");
  const compose = YAML.parse(fs.readFileSync(file, "utf8"));
  compose.services.web.healthcheck = { test, interval: "1s", timeout: "1s", retries: 1, start_period: "0s" };
  fs.writeFileSync(file, YAML.stringify(compose));
  return a;
}

async function health(project: string): Promise<string[]> {
  const ids = (await containers(project)).map((c) => c.id);
  const out = await run({ tool: "docker", argv: ["inspect", "-f", "{{.State.Health.Status}}", ...ids] });
  return out.stdout.trim().split("\n");
}

describe("a compose healthcheck", () => {
  it("is waited for: the deploy returns once the container is healthy, not while it is starting", async () => {
    const a = await appWithHealthcheck(["CMD", "/bin/busybox", "true"]);
    const res = await a.run(["deploy", s[0]!.tag]);
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain(`✓ localhost`);
    expect(res.code).toBe(0);
    // The first check runs an interval after the start: had the deploy not waited, this would read "starting".
    expect(await health(a.project)).toEqual(["healthy"]);
  });

  it("that fails turns the deploy into a failure and the previous release is put back", async () => {
    const a = await appWithHealthcheck(["CMD", "/bin/busybox", "false"]);
    const [A, B] = [s[0]!, s[1]!];
    const dA = await digestOf(`${repo}:${A.tag}`);
    // A goes live with the check disabled; then B comes with a check that can never pass.
    const file = path.join(a.dir, "stack/docker-compose.yml");
    const failing = fs.readFileSync(file, "utf8");
    const compose = YAML.parse(failing);
    compose.services.web.healthcheck = { disable: true };
    fs.writeFileSync(file, YAML.stringify(compose));
    expect((await a.run(["deploy", A.tag])).code).toBe(0);

    fs.writeFileSync(file, failing);
    const res = await a.run(["deploy", B.tag]);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toMatch(/container \S+ is unhealthy/);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[dA]]);
    expect(fs.readFileSync(path.join(a.deployDir, "deploy-info.yml"), "utf8")).toContain(`tag: "${A.tag}"`);
  });
});
