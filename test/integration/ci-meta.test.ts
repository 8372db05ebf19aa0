// `pinroll ci-meta` through the CLI on a real git repository: the tags and labels CI stamps (seeds 002, 004).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/project.js";

let repo: string;
let sha: string;
const subject = 'feat: "quoted": value # with {{ braces }}';

function git(...args: string[]) {
  return execFileSync("git", args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.invalid",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.invalid",
      GIT_COMMITTER_DATE: "2026-01-30T22:30:00+01:00",
      GIT_AUTHOR_DATE: "2026-01-30T22:30:00+01:00",
    },
  })
    .toString()
    .trim();
}

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-ci-meta-"));
  git("init", "-q", "-b", "main");
  git("remote", "add", "origin", "https://ci-user:s3cret-token@git.example.invalid/team/app.git");
  fs.writeFileSync(path.join(repo, "VERSION"), "1.4.2\n");
  git("add", "VERSION");
  git("commit", "-q", "-m", subject);
  sha = git("rev-parse", "HEAD");
});

describe("ci-meta", () => {
  it("prints tags and OCI labels as JSON, the source without credentials", async () => {
    const res = await runCli(["ci-meta", "--dir", repo, "--env", "staging", "--image", "localhost:5000/team/app"], { cwd: repo });
    expect(res.code).toBe(0);
    const meta = JSON.parse(res.stdout);
    expect(meta.tags).toEqual([sha.slice(0, 7), "v1.4.2", "env-staging"]);
    expect(meta.refs).toEqual(meta.tags.map((t: string) => `localhost:5000/team/app:${t}`));
    expect(meta.labels).toEqual({
      "org.opencontainers.image.description": subject,
      "org.opencontainers.image.created": "2026-01-30T22:30:00+01:00",
      "org.opencontainers.image.revision": sha,
      "org.opencontainers.image.source": "https://git.example.invalid/team/app",
      "org.opencontainers.image.version": "v1.4.2",
    });
    expect(res.stdout + res.stderr).not.toContain("s3cret");
  });

  it("prints docker build arguments one per line", async () => {
    const res = await runCli(["ci-meta", "--format", "docker-args", "--image", "reg.example.invalid/app"], { cwd: repo });
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines[0]).toBe(`--tag=reg.example.invalid/app:${sha.slice(0, 7)}`);
    expect(lines).toContain(`--label=org.opencontainers.image.description=${subject}`);
  });

  it("prints GitHub step outputs in the multi-line form", async () => {
    const res = await runCli(["ci-meta", "--format", "github-output"], { cwd: repo });
    expect(res.code).toBe(0);
    const m = /^tags<<(\S+)\n([\s\S]*?)\n\1$/m.exec(res.stdout);
    expect(m?.[2]?.split("\n")).toEqual([sha.slice(0, 7), "v1.4.2"]);
    expect(res.stdout).toContain(`revision=${sha}`);
  });

  it("refuses docker-args without --image, an unknown format and a bad env, with exit 2", async () => {
    for (const args of [
      ["--format", "docker-args"],
      ["--format", "yaml"],
      ["--env", "pr;rm"],
    ]) {
      const res = await runCli(["ci-meta", ...args], { cwd: repo });
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split("\n")).toHaveLength(1);
      expect(res.stderr).toMatch(/^error: /);
    }
  });

  it("refuses a directory that is not a git repository", async () => {
    const res = await runCli(["ci-meta", "--dir", os.tmpdir()], { cwd: repo });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("is not a git repository");
  });
});
