// What runs on a host is read two ways: lib.sh's running_images (the reader the deploy's verify uses, and the drift
// check over SSH) and, for a local host, the Docker API. On the same real containers both give the same answer, and
// so the same drift warnings; verify, reading the same lines, says what it always said (issue 10: the running-digest
// check in one place).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { parseDeployInfo } from "../../src/hosts/deploy-info.js";
import type { Host } from "../../src/hosts/inventory.js";
import { driftWarnings, runningImages, runningImagesByShell, type RunningImages } from "../../src/hosts/running.js";
import { roleScript } from "../../src/paths.js";
import { run } from "../../src/tools/run.js";
import { composeByHand, containers, makeApp, type AppProject } from "../support/app.js";

const registry = inject("registry");
const repo = `${registry}/running/app`;
const local: Host = { name: "localhost", vars: { ansible_connection: "local" } };
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second"] });
  a = await makeApp(repo);
  expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
});
afterAll(async () => a.cleanup());

/** Order-free: containers of a service in any order, each container's digests in any order. */
const sorted = (m: RunningImages | null) =>
  m && Object.fromEntries([...m].map(([svc, cs]) => [svc, cs.map((d) => [...d].sort().join(" ")).sort()]));

/** What the deploy recorded on the host. */
const recorded = () => parseDeployInfo(fs.readFileSync(path.join(a.deployDir, "deploy-info.yml"), "utf8"), "deploy-info.yml");

/** lib.sh's verify, as apply.sh runs it on the host: its lines and its exit code. */
async function verify(project: string, ...pairs: string[]) {
  const res = await run(
    { tool: "sh", argv: ["-c", `${roleScript("lib.sh")}\nverify "$@"`, "pinroll", project, ...pairs] },
    { allowFailure: true },
  );
  return { code: res.exitCode, lines: res.stdout.trimEnd().split("\n") };
}

/**
 * lib.sh's wait_up then verify in one shell, as apply.sh runs them after compose up: verify's lines and exit code,
 * and every docker command the two ran (a `docker` function in front of the real one notes each).
 */
async function upThenVerify(project: string, ...pairs: string[]) {
  const script = `exec 3>&2 2>/dev/null
${roleScript("lib.sh")}
docker() { printf '%s\\n' "$1" >&3; command docker "$@"; }
wait_up "$1" 5 > /dev/null || exit 9
verify "$@"`;
  const res = await run({ tool: "sh", argv: ["-c", script, "pinroll", project, ...pairs] }, { allowFailure: true });
  return { code: res.exitCode, lines: res.stdout.trimEnd().split("\n"), docker: res.stderr.trim().split("\n") };
}

async function bothWays(project: string) {
  const api = await runningImages(local, project);
  const shell = await runningImagesByShell(local, project);
  expect(api).not.toBeNull();
  expect(sorted(shell)).toEqual(sorted(api));
  return { api: api!, shell };
}

describe("lib.sh's running_images and the Docker API agree", () => {
  it("on a deployed app: its one container, on the deployed digest", async () => {
    const { shell } = await bothWays(a.project);
    expect([...shell.keys()]).toEqual(["web"]);
    expect(shell.get("web")).toHaveLength(1);
    expect(shell.get("web")![0]!.some((d) => d.startsWith(`${registry}/running/app@sha256:`))).toBe(true);
    const info = recorded();
    expect(driftWarnings("localhost", info, shell)).toEqual([]);
    const [c] = await containers(a.project);
    expect(await verify(a.project, `web=${info.services.web!.digest}`)).toEqual({
      code: 0,
      lines: [`verify: web: ${c!.id.slice(0, 12)} on ${info.services.web!.digest}`],
    });
    expect(await verify(a.project, `web=${info.services.web!.digest}`, `db=${info.services.web!.digest}`)).toEqual({
      code: 1,
      lines: [
        `verify: web: ${c!.id.slice(0, 12)} on ${info.services.web!.digest}`,
        `verify: db: no running container in project ${a.project}`,
      ],
    });
  });

  it("on a container started by hand from another image: the same drift warning both ways", async () => {
    await composeByHand(a, "docker-compose.yml"); // `latest` is the second image, not the recorded one
    try {
      const { api, shell } = await bothWays(a.project);
      const info = recorded();
      const warning = `localhost: web is not on its recorded digest ${info.services.web!.digest.slice(0, 19)} (${s[0]!.tag}); redeploy or roll back`;
      expect(driftWarnings("localhost", info, shell)).toEqual([warning]);
      expect(driftWarnings("localhost", info, api)).toEqual([warning]);
      const [c] = await containers(a.project);
      const image = (await run({ tool: "docker", argv: ["inspect", "-f", "{{.Image}}", c!.id] })).stdout.trim();
      const want = info.services.web!.digest;
      expect(await verify(a.project, `web=${want}`)).toEqual({
        code: 1,
        lines: [`verify: web: container ${c!.id.slice(0, 12)} runs ${image}, not ${want}`],
      });
    } finally {
      await composeByHand(a, "docker-compose.yml", "docker-compose.override.yml");
    }
  });

  it("verify after wait_up reads its listing when it shows the pinned digest, and asks Docker in full otherwise", async () => {
    const want = recorded().services.web!.digest;
    const full = await verify(a.project, `web=${want}`);
    expect(full.code).toBe(0);
    // Docker lists the container's image as the REPO:TAG@DIGEST it was created from: no docker call after the listing.
    expect(await upThenVerify(a.project, `web=${want}`)).toEqual({ ...full, docker: ["ps"] });
    // Another digest: the listing does not show it, so verify asks Docker in full and says what it always said.
    const other = `sha256:${"0".repeat(64)}`;
    const fullOther = await verify(a.project, `web=${other}`);
    expect(fullOther.code).toBe(1);
    expect(await upThenVerify(a.project, `web=${other}`)).toEqual({ ...fullOther, docker: ["ps", "inspect", "image"] });
    // The container's reference no longer resolves (REPO@DIGEST untagged while it runs): Docker lists the image id,
    // and verify's answer is the full check's again, not the listing's.
    const [c] = await containers(a.project);
    const created = (await run({ tool: "docker", argv: ["inspect", "-f", "{{.Config.Image}}", c!.id] })).stdout.trim();
    expect(created).toMatch(new RegExp(`@${want}$`));
    const ref = `${created.slice(0, created.lastIndexOf(":", created.indexOf("@")))}@${want}`;
    await run({ tool: "docker", argv: ["rmi", "-f", ref] });
    try {
      const listed = (
        await run({ tool: "docker", argv: ["ps", "--no-trunc", "--filter", `id=${c!.id}`, "--format", "{{.Image}}"] })
      ).stdout.trim();
      expect(listed).toMatch(/^sha256:[0-9a-f]{64}$/);
      const fullUntagged = await verify(a.project, `web=${want}`);
      expect(await upThenVerify(a.project, `web=${want}`)).toEqual({ ...fullUntagged, docker: ["ps", "inspect", "image"] });
    } finally {
      await run({ tool: "docker", argv: ["pull", "-q", ref] });
    }
  });

  it("on a project with nothing running: nothing, both ways", async () => {
    const { shell } = await bothWays(`${a.project}-none`);
    expect(shell.size).toBe(0);
  });
});
