// Globs of pinroll.yml (pin, production_files, allowed_registries) with standard glob semantics (issue 10).
import { describe, expect, it } from "vitest";
import { matchesPin } from "../../../src/compose/file.js";
import { globMatcher } from "../../../src/fs/glob.js";
import { parseRef } from "../../../src/image/ref.js";

describe("globMatcher", () => {
  it("**/x matches x at the top as well as below", () => {
    const m = globMatcher("**/prod-*.yml");
    expect(m("prod-compose.yml")).toBe(true);
    expect(m("stacks/live/prod-compose.yml")).toBe(true);
    expect(m("stacks/dev-compose.yml")).toBe(false);
  });

  it("* stays inside one path segment, ** crosses them", () => {
    const one = globMatcher("localhost:5000/demo/*");
    expect(one("localhost:5000/demo/web")).toBe(true);
    expect(one("localhost:5000/demo/web/extra")).toBe(false);
    expect(one("localhost:5000/other/web")).toBe(false);
    const any = globMatcher("ghcr.io/org/**");
    expect(any("ghcr.io/org/team/app")).toBe(true);
    expect(any("ghcr.io/other/app")).toBe(false);
  });

  it("expands braces", () => {
    const m = globMatcher("ghcr.io/org/{api,web}");
    expect(m("ghcr.io/org/api")).toBe(true);
    expect(m("ghcr.io/org/web")).toBe(true);
    expect(m("ghcr.io/org/worker")).toBe(false);
  });

  it("matches the whole name, dots taken literally", () => {
    expect(globMatcher("ghcr.io/org/app")("ghcrXio/org/app")).toBe(false);
    expect(globMatcher("ghcr.io/org/app")("ghcr.io/org/app2")).toBe(false);
  });

  it("with basename, a glob without / matches the last segment anywhere; one with / the whole path", () => {
    expect(globMatcher("*.prod.yml", { basename: true })("a/b/docker-compose.prod.yml")).toBe(true);
    expect(globMatcher("*.prod.yml")("a/b/docker-compose.prod.yml")).toBe(false);
    expect(globMatcher("stacks/*.yml", { basename: true })("other/stacks/x.yml")).toBe(false);
  });
});

describe("pin globs", () => {
  const pins = (written: string, globs: string[]) => matchesPin(parseRef(written), written, globs);

  it("match the repository with picomatch semantics", () => {
    expect(pins("localhost:5000/demo/web:1", ["localhost:5000/demo/*"])).toBe(true);
    expect(pins("localhost:5000/demo/a/web:1", ["localhost:5000/demo/*"])).toBe(false);
    expect(pins("localhost:5000/demo/a/web:1", ["localhost:5000/demo/**"])).toBe(true);
    expect(pins("localhost:5000/demo/api:1", ["localhost:5000/demo/{api,web}"])).toBe(true);
    expect(pins("localhost:5000/demo/worker:1", ["localhost:5000/demo/{api,web}"])).toBe(false);
  });
});
