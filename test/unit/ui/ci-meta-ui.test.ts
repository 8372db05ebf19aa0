import { describe, expect, it } from "vitest";
import type { CiMeta } from "../../../src/commands/ci-meta.js";
import { UsageError } from "../../../src/errors.js";
import { renderCiMeta } from "../../../src/ui/ci-meta.js";

const SHA = "6350192b8f0e4a1c9d2e3f405162738495a6b7c8";

const meta = (over: Partial<CiMeta> = {}): CiMeta => ({
  revision: SHA,
  short_sha: "6350192",
  version: "v1.2.3",
  tags: ["6350192", "v1.2.3", "env-prod"],
  refs: ["ghcr.io/org/app:6350192", "ghcr.io/org/app:v1.2.3", "ghcr.io/org/app:env-prod"],
  labels: {
    "org.opencontainers.image.description": 'fix: "a": b, c=d',
    "org.opencontainers.image.revision": SHA,
  },
  warnings: [],
  ...over,
});

/** Reads GitHub's output file format: `name=value` lines and `name<<DELIM` ... `DELIM` blocks. */
function readGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^(\w+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      expect(end, `block ${block[1]} is closed`).toBeGreaterThan(i);
      out[block[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else {
      const at = line.indexOf("=");
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

describe("renderCiMeta", () => {
  it("json is the whole result, parseable", () => {
    expect(JSON.parse(renderCiMeta(meta(), "json"))).toEqual(meta());
  });

  it("docker-args puts one argument a line, tags then labels", () => {
    expect(renderCiMeta(meta(), "docker-args").split("\n")).toEqual([
      "--tag=ghcr.io/org/app:6350192",
      "--tag=ghcr.io/org/app:v1.2.3",
      "--tag=ghcr.io/org/app:env-prod",
      '--label=org.opencontainers.image.description=fix: "a": b, c=d',
      `--label=org.opencontainers.image.revision=${SHA}`,
    ]);
  });

  it("docker-args needs --image", () => {
    expect(() => renderCiMeta(meta({ refs: [] }), "docker-args")).toThrow(UsageError);
    expect(() => renderCiMeta(meta({ refs: [] }), "docker-args")).toThrow("--format docker-args needs --image REPO");
  });

  it("github-output writes multi-line values as name<<DELIM blocks", () => {
    const text = renderCiMeta(meta(), "github-output");
    expect(text).toMatch(/^tags<<(EOF_[0-9a-f]{16})\n[^]*\n\1\nlabels<</);
    expect(readGithubOutput(text)).toEqual({
      tags: "ghcr.io/org/app:6350192\nghcr.io/org/app:v1.2.3\nghcr.io/org/app:env-prod",
      labels: `org.opencontainers.image.description=fix: "a": b, c=d\norg.opencontainers.image.revision=${SHA}`,
      short_sha: "6350192",
      revision: SHA,
      version: "v1.2.3",
    });
  });

  it("github-output carries the signing step with --sign-key (issue 12)", () => {
    const sign = {
      key: "env://COSIGN_PRIVATE_KEY",
      argv: ["cosign", "sign", "--key", "env://COSIGN_PRIVATE_KEY", "--tlog-upload=false", "--yes"],
    };
    const out = readGithubOutput(renderCiMeta(meta({ sign }), "github-output"));
    expect(out.sign_command).toBe("cosign sign --key env://COSIGN_PRIVATE_KEY --tlog-upload=false --yes");
    expect(JSON.parse(renderCiMeta(meta({ sign }), "json")).sign).toEqual(sign);
  });

  it("github-output lists bare tags without --image and an empty version without one", () => {
    const out = readGithubOutput(renderCiMeta(meta({ refs: [], tags: ["6350192"], version: null }), "github-output"));
    expect(out.tags).toBe("6350192");
    expect(out.version).toBe("");
  });

  it("github-output uses a fresh delimiter each time, so a value cannot close its block", () => {
    const delimiters = (t: string) => [...t.matchAll(/<<(\S+)/g)].map((m) => m[1]);
    const a = delimiters(renderCiMeta(meta(), "github-output"));
    const b = delimiters(renderCiMeta(meta(), "github-output"));
    expect(new Set([...a, ...b]).size).toBe(4);
  });
});
