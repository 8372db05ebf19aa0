// git argv builders for ci-meta (seed 002: tags and labels come from git, never typed by hand).
import type { Command } from "./run.js";

const git = (cwd: string, ...argv: string[]): Command => ({ tool: "git", argv, cwd });

export const gitCmd = {
  head: (cwd: string, rev = "HEAD") => git(cwd, "log", "-1", "--format=%H%n%cI%n%s", rev, "--"),
  shortSha: (cwd: string, rev = "HEAD") => git(cwd, "rev-parse", "--short=7", `${rev}^{commit}`),
  exactTag: (cwd: string, rev = "HEAD") => git(cwd, "describe", "--tags", "--exact-match", rev),
  remoteUrl: (cwd: string) => git(cwd, "config", "--get", "remote.origin.url"),
  topLevel: (cwd: string) => git(cwd, "rev-parse", "--show-toplevel"),
};
