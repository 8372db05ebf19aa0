import { describe, expect, it } from "vitest";
import type { PinnedRef, PinResult } from "../../../src/commands/pin.js";
import { pinJson, renderPinLines, renderPinSummary, shortDigest } from "../../../src/ui/pin.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

function ref(over: Partial<PinnedRef>): PinnedRef {
  return {
    line: 1,
    ref: "postgres:16-alpine",
    kind: "compose-image",
    pinned: false,
    skip: null,
    digest: null,
    previous: null,
    changed: false,
    ...over,
  };
}

const refs: PinnedRef[] = [
  ref({ line: 12, digest: A, changed: true }),
  ref({ line: 14, ref: `redis:7@${A}`, pinned: true, digest: B, previous: A, changed: true }),
  ref({ line: 16, ref: `nginx:1.25@${A}`, pinned: true, digest: A }),
  ref({ line: 18, ref: "", skip: "service api is built here (build: ./api), no image to pin" }),
  ref({ line: 20, ref: "app:nope", error: "app:nope: not found" }),
];

function result(mode: PinResult["mode"], dryRun = false): PinResult {
  return {
    mode,
    dryRun,
    exitCode: 1,
    files: [
      { file: "docker-compose.yml", refs, changed: true },
      { file: "bad.yml", error: "not valid YAML", refs: [], changed: false },
    ],
  };
}

describe("pin output", () => {
  it("prints file:line, old -> new with short digests, skips and errors with their reason", () => {
    expect(renderPinLines(result("update"))).toEqual([
      `docker-compose.yml:12  postgres:16-alpine -> postgres:16-alpine@sha256:aaaaaaaaaaaa…`,
      `docker-compose.yml:14  redis:7@sha256:aaaaaaaaaaaa… -> redis:7@sha256:bbbbbbbbbbbb…`,
      `docker-compose.yml:16  nginx:1.25@sha256:aaaaaaaaaaaa…  up to date`,
      `docker-compose.yml:18  (no image)  skipped: service api is built here (build: ./api), no image to pin`,
      `docker-compose.yml:20  app:nope  error: app:nope: not found`,
      `bad.yml  error: not valid YAML (left untouched)`,
    ]);
    expect(renderPinSummary(result("update"))).toBe("1 pinned, 1 updated, 1 unchanged, 1 skipped, 1 failed, 1 file failed; 1 file written");
    expect(renderPinSummary(result("pin", true))).toMatch(/1 already pinned, .*; dry run: nothing written$/);
  });

  it("lists only what is not pinned, skipped or broken under --check, and counts them", () => {
    const lines = renderPinLines(result("check"));
    expect(lines.filter((l) => l.endsWith("not pinned"))).toEqual([
      "docker-compose.yml:12  postgres:16-alpine  not pinned",
      "docker-compose.yml:20  app:nope  not pinned",
    ]);
    expect(lines.some((l) => l.includes(":16 "))).toBe(false);
    expect(renderPinSummary(result("check"))).toBe(
      "2 of 5 references not pinned, 1 skipped, 1 failed, 1 file failed (pinroll pin FILE... pins them)",
    );
  });

  it("gives --check --json exactly DESIGN.md's shape", () => {
    const json = pinJson(result("check")) as { files: { file: string; error?: string; refs: object[] }[] };
    expect(Object.keys(json)).toEqual(["files"]);
    expect(json.files[1]).toEqual({ file: "bad.yml", error: "not valid YAML", refs: [] });
    expect(json.files[0]!.refs[0]).toEqual({ line: 12, ref: "postgres:16-alpine", kind: "compose-image", pinned: false, skip: null });
  });

  it("adds what was done to each reference outside --check", () => {
    const json = pinJson(result("update")) as { dry_run: boolean; files: { changed: boolean; refs: Record<string, unknown>[] }[] };
    expect(json.dry_run).toBe(false);
    expect(json.files[0]!.changed).toBe(true);
    expect(json.files[0]!.refs[1]).toMatchObject({ ref: `redis:7@${A}`, pinned: true, digest: B, previous: A, changed: true });
  });

  it("shortens a digest to its algorithm and 12 hex digits", () => {
    expect(shortDigest(A)).toBe("sha256:aaaaaaaaaaaa…");
  });
});
