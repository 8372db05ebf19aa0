import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ciMeta, publicUrl, semverOf } from "../../../src/commands/ci-meta.js";
import { UsageError } from "../../../src/errors.js";

describe("semverOf", () => {
  const semver = (tag: string, file: string) => {
    const warnings: string[] = [];
    return { version: semverOf(tag, file, warnings), warnings };
  };

  it("reads VERSION as X.Y.Z or vX.Y.Z", () => {
    expect(semver("", "1.2.3")).toEqual({ version: "v1.2.3", warnings: [] });
    expect(semver("", "v1.4.0")).toEqual({ version: "v1.4.0", warnings: [] });
  });

  it("an exact git tag wins over VERSION, with a warning when they differ", () => {
    expect(semver("v1.2.3", "1.2.3")).toEqual({ version: "v1.2.3", warnings: [] });
    expect(semver("v2.0.0", "1.2.3")).toEqual({
      version: "v2.0.0",
      warnings: ["git tag v2.0.0 and VERSION 1.2.3 disagree: using the git tag"],
    });
    expect(semver("3.1.4", "")).toEqual({ version: "v3.1.4", warnings: [] });
  });

  it("a VERSION that is not X.Y.Z gives no version and says why", () => {
    expect(semver("", "1.2")).toEqual({ version: null, warnings: ['VERSION holds "1.2", not X.Y.Z: no version tag'] });
    expect(semver("v1.0.0", "next")).toEqual({ version: "v1.0.0", warnings: ['VERSION holds "next", not X.Y.Z: no version tag'] });
  });

  it("no VERSION and a tag that is not semver: no version, no warning", () => {
    expect(semver("release-5", "")).toEqual({ version: null, warnings: [] });
    expect(semver("", "")).toEqual({ version: null, warnings: [] });
  });
});

describe("publicUrl", () => {
  it.each([
    ["git@github.com:org/repo.git", "https://github.com/org/repo"],
    ["github.com:org/repo", "https://github.com/org/repo"],
    ["https://github.com/org/repo", "https://github.com/org/repo"],
    ["https://github.com/org/repo.git/", "https://github.com/org/repo"],
    ["https://user:token@git.example.com/team/x.git", "https://git.example.com/team/x"],
    ["https://oauth2:glpat-secret@gitlab.example.com:8443/g/r.git", "https://gitlab.example.com:8443/g/r"],
    ["ssh://git@host:22/x.git", "https://host/x"],
    ["ssh://git@github.com/org/repo.git", "https://github.com/org/repo"],
    ["git://git.example.com/project.git", "https://git.example.com/project"],
  ])("%s -> %s", (remote, url) => {
    expect(publicUrl(remote)).toBe(url);
  });

  it("never prints credentials", () => {
    for (const remote of ["https://user:s3cret@host/x.git", "ssh://deploy:s3cret@host/x.git", "http://s3cret@host/x"]) {
      expect(publicUrl(remote)).not.toContain("s3cret");
    }
  });

  it("a local path is not a public URL", () => {
    expect(publicUrl("/srv/git/repo.git")).toBe("");
    expect(publicUrl("file:///srv/git/repo.git")).toBe("");
    expect(publicUrl("../repo")).toBe("");
  });
});

describe("ciMeta on a real git repository", () => {
  let repo: string;
  const commitTime = "2024-05-01T10:20:30+00:00";
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: repo,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_NAME: "Test",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_AUTHOR_DATE: "2024-04-30T08:00:00+00:00",
        GIT_COMMITTER_NAME: "Test",
        GIT_COMMITTER_EMAIL: "test@example.com",
        GIT_COMMITTER_DATE: commitTime,
      },
    }).trim();
  const commit = (message: string) => git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", message);

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-ci-meta-"));
    git("init", "-q");
    fs.writeFileSync(path.join(repo, "VERSION"), "1.2.3\n");
    git("add", "VERSION");
    commit('fix: "a": b, #42 {{ x }}\n\nThe body is not the subject.');
    git("remote", "add", "origin", "https://ci:token123@git.example.com/org/app.git");
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("tags the short sha and the VERSION, labels from the commit", async () => {
    const sha = git("rev-parse", "HEAD");
    const meta = await ciMeta({ dir: repo, env: "staging", image: "localhost:5000/org/app" });
    expect(meta).toEqual({
      revision: sha,
      short_sha: sha.slice(0, 7),
      version: "v1.2.3",
      tags: [sha.slice(0, 7), "v1.2.3", "env-staging"],
      refs: [`localhost:5000/org/app:${sha.slice(0, 7)}`, "localhost:5000/org/app:v1.2.3", "localhost:5000/org/app:env-staging"],
      labels: {
        "org.opencontainers.image.description": 'fix: "a": b, #42 {{ x }}',
        "org.opencontainers.image.created": commitTime,
        "org.opencontainers.image.revision": sha,
        "org.opencontainers.image.source": "https://git.example.com/org/app",
        "org.opencontainers.image.version": "v1.2.3",
      },
      warnings: [],
    });
  });

  it("works from a subdirectory, reading VERSION at the top", async () => {
    fs.mkdirSync(path.join(repo, "services", "api"), { recursive: true });
    const meta = await ciMeta({ dir: path.join(repo, "services", "api") });
    expect(meta.version).toBe("v1.2.3");
    expect(meta.refs).toEqual([]);
  });

  it("an exact git tag wins over VERSION", async () => {
    git("tag", "v2.0.0");
    try {
      const meta = await ciMeta({ dir: repo, source: "https://example.com/override" });
      expect(meta.version).toBe("v2.0.0");
      expect(meta.tags).toEqual([meta.short_sha, "v2.0.0"]);
      expect(meta.labels["org.opencontainers.image.version"]).toBe("v2.0.0");
      expect(meta.labels["org.opencontainers.image.source"]).toBe("https://example.com/override");
      expect(meta.warnings).toEqual(["git tag v2.0.0 and VERSION 1.2.3 disagree: using the git tag"]);
    } finally {
      git("tag", "-d", "v2.0.0");
    }
  });

  it("describes an older commit with --rev, and the short sha is the version without one", async () => {
    fs.rmSync(path.join(repo, "VERSION"));
    git("rm", "-q", "--cached", "VERSION");
    commit("chore: drop VERSION");
    const meta = await ciMeta({ dir: repo });
    expect(meta.version).toBeNull();
    expect(meta.tags).toEqual([meta.short_sha]);
    expect(meta.labels["org.opencontainers.image.version"]).toBe(meta.short_sha);
    expect(meta.labels["org.opencontainers.image.description"]).toBe("chore: drop VERSION");

    const previous = await ciMeta({ dir: repo, rev: "HEAD~1" });
    expect(previous.revision).toBe(git("rev-parse", "HEAD~1"));
    expect(previous.labels["org.opencontainers.image.description"]).toMatch(/^fix: /);
  });

  it("leaves source out when there is no remote", async () => {
    git("remote", "remove", "origin");
    const meta = await ciMeta({ dir: repo });
    expect(meta.labels).not.toHaveProperty("org.opencontainers.image.source");
  });

  it.each(["prod-eu", "", "a b", "x;rm"])("rejects --env %j as bad usage", async (env) => {
    await expect(ciMeta({ dir: repo, env })).rejects.toThrow(UsageError);
    await expect(ciMeta({ dir: repo, env })).rejects.toMatchObject({ exitCode: 2 });
  });

  it("rejects a revision that looks like an option, and a directory outside git", async () => {
    await expect(ciMeta({ dir: repo, rev: "--all" })).rejects.toThrow('invalid revision "--all"');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-not-git-"));
    try {
      await expect(ciMeta({ dir: outside })).rejects.toThrow(/is not a git repository with commit HEAD/);
      await expect(ciMeta({ dir: repo, rev: "nope" })).rejects.toMatchObject({ exitCode: 2 });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
