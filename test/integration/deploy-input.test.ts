// Deploy and rollback refuse bad input with exit 2 and change nothing on the host; corrupted files on a host are
// reported with their path and a way out, never a stack trace (issue 3 items 1, 2 and 4).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { composeByHand, containers, makeApp, snapshot, type AppProject } from "../support/app.js";

const registry = inject("registry");
const repo = `${registry}/input/app`;
let s: SampleImage[];
let a: AppProject;
let before: Record<string, string>;
let running: string[];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second"] });
  a = await makeApp(repo);
  expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
  before = snapshot(a.deployDir);
  running = (await containers(a.project)).map((c) => c.id);
});
afterAll(async () => a.cleanup());

async function expectRefused(args: string[], pattern: RegExp) {
  const res = await a.run(args);
  expect(res.code).toBe(2);
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  expect(res.stderr.trim()).toMatch(pattern);
  expect(snapshot(a.deployDir)).toEqual(before);
  expect((await containers(a.project)).map((c) => c.id)).toEqual(running);
}

describe("deploy refuses bad input, changing nothing", () => {
  it("a tag that is not in the registry", async () => {
    await expectRefused(["deploy", "abcdef0"], new RegExp(`^error: tag abcdef0 not found in ${repo}`));
  });
  it("an unknown app", async () => {
    await expectRefused(["deploy", "nope", s[1]!.tag], /^error: unknown app "nope"/);
  });
  it("a tag with shell metacharacters", async () => {
    const marker = path.join(a.dir, "touched");
    await expectRefused(["deploy", `abc;touch ${marker}`], /^error: invalid tag "abc;touch /);
    await expectRefused(["deploy", "$(id)"], /^error: invalid tag "\$\(id\)"/);
    await expectRefused(["deploy", "`id`"], /^error: invalid tag/);
    expect(fs.existsSync(marker)).toBe(false);
  });
  it("a mutable tag without --allow-mutable", async () => {
    await expectRefused(["deploy", "latest"], /^error: tag "latest" does not match tag_pattern .*--allow-mutable/);
  });
  it("a digest that does not exist", async () => {
    await expectRefused(["deploy", `sha256:${"0".repeat(64)}`], /^error: digest sha256:0+ not found/);
  });
});

describe("rollback refuses bad input, changing nothing", () => {
  it("rollback 0 and rollback 999", async () => {
    await expectRefused(["rollback", "0"], /^error: invalid entry "0"/);
    await expectRefused(["rollback", "999"], /^error: no entry 999: the history has 1/);
    await expectRefused(["rollback", "hello", "2x"], /^error: invalid entry "2x"/);
  });
  it("without N and without a terminal", async () => {
    await expectRefused(["rollback"], /^error: no terminal to pick from: pass N/);
  });
  it("a history file with garbage in it: listed as corrupted, the rest still lists, choosing it is refused", async () => {
    const historyDir = path.join(a.deployDir, ".pinroll/history");
    const garbage = path.join(historyDir, "2099-01-01T00-00-00.000Z.yml");
    fs.writeFileSync(garbage, "{{{ not: yaml ::: [\n\u0000garbage");
    before = snapshot(a.deployDir);
    const list = await a.run(["rollback", "--list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\[1\] 2099-01-01 \d\d:00 {2}\(corrupted: localhost:.*2099-01-01T00-00-00.000Z.yml is corrupted/);
    expect(list.stdout).toMatch(new RegExp(`\\[2\\] .*  ${s[0]!.tag}  first  \\(current\\)`));
    expect(list.stderr).toContain("2099-01-01T00-00-00.000Z.yml is corrupted");
    expect(list.stderr).not.toMatch(/at .*\.js:\d+/);
    await expectRefused(["rollback", "1"], /^error: entry 1 is corrupted .*pick another entry, or redeploy/);
    fs.rmSync(garbage);
    before = snapshot(a.deployDir);
  });
});

describe("corrupted files on a host", () => {
  it("a corrupted deploy-info.yml is reported with its path and a way out by version and overview", async () => {
    const info = path.join(a.deployDir, "deploy-info.yml");
    const good = fs.readFileSync(info, "utf8");
    fs.writeFileSync(info, "app: [unclosed\nservices: 12\n");
    try {
      const version = await a.run(["version"]);
      expect(version.code).toBe(0);
      expect(version.stderr).toContain(`localhost:${info} is corrupted`);
      expect(version.stderr).toMatch(/redeploy \(pinroll deploy\) or roll back \(pinroll rollback\)/);
      expect(version.stderr).not.toMatch(/at .*\.js:\d+/);
      const overview = await a.run(["overview"]);
      expect(overview.code).toBe(0);
      expect(overview.stderr).toContain(`localhost:${info} is corrupted`);
    } finally {
      fs.writeFileSync(info, good);
    }
  });

  it("a corrupted override is reported with its path and a way out", async () => {
    const file = path.join(a.deployDir, "docker-compose.override.yml");
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, "services: [\n  web: {{ broken\n");
    try {
      const version = await a.run(["version"]);
      expect(version.code).toBe(0);
      expect(version.stderr).toMatch(
        new RegExp(`localhost:${file} is corrupted \\(not valid YAML.*redeploy \\(pinroll deploy\\) or roll back`),
      );
      const list = await a.run(["rollback", "--list"]);
      expect(list.stdout).toContain(`${s[0]!.tag}  first`);
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  it("an override pinning another digest than deploy-info.yml records (a deploy cut off) is reported", async () => {
    const file = path.join(a.deployDir, "docker-compose.override.yml");
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, good.replace(/@sha256:[0-9a-f]{64}/, `@sha256:${"e".repeat(64)}`));
    try {
      const version = await a.run(["version"]);
      expect(version.code).toBe(0);
      expect(version.stderr).toMatch(
        new RegExp(
          `localhost:${file} is corrupted \\(pins web to another digest than deploy-info.yml records \\(sha256:\\w{12}\\): a deploy cut off\\?\\); redeploy`,
        ),
      );
    } finally {
      fs.writeFileSync(file, good);
    }
    expect((await a.run(["version"])).stderr).toBe("");
  });

  it("a host without deploy-info says there are no pins", async () => {
    const other = await makeApp(repo);
    const res = await other.run(["version"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("No pins, using tags as written");
    expect(JSON.parse((await other.run(["version", "--json"])).stdout).hosts[0].release).toBeNull();
    const none = await other.run(["rollback", "--list"]);
    expect(none.stdout.trim()).toBe("No history available");
  });
});

describe("drift between the record and the containers", () => {
  it("overview and version warn when a running container is not on its recorded digest", async () => {
    const compose = (...files: string[]) => composeByHand(a, ...files);
    const clean = await a.run(["overview"]);
    expect(clean.stderr).toBe("");
    await compose("docker-compose.yml"); // the plain tag, as if someone ran compose by hand: `latest` is the second image
    try {
      for (const args of [["overview"], ["version"]]) {
        const res = await a.run(args);
        expect(res.code).toBe(0);
        expect(res.stderr).toMatch(
          new RegExp(`localhost: web is not on its recorded digest sha256:\\w{12} \\(${s[0]!.tag}\\); redeploy or roll back`),
        );
      }
    } finally {
      await compose("docker-compose.yml", "docker-compose.override.yml");
    }
    expect((await a.run(["version"])).stderr).toBe("");
  });
});
