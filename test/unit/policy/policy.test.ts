import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_TAG_PATTERN } from "../../../src/config/schema.js";
import { checkFile, isProductionFile, type Policy } from "../../../src/policy/check.js";
import { checkRef, registryAllowed, type RuleContext } from "../../../src/policy/rules.js";
import { fileKind } from "../../../src/policy/scan.js";
import { parseRef } from "../../../src/image/ref.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  tagPattern: DEFAULT_POLICY_TAG_PATTERN,
  production: false,
  requireDigest: false,
  file: "compose.yml",
  ...over,
});
const rules = (ref: string, over: Partial<RuleContext> = {}) => checkRef(ref, ctx(over)).map((f) => f.rule);

describe("allowed registries", () => {
  it("matches the normalised host, the repository or a leading part of it", () => {
    expect(registryAllowed(parseRef("postgres:16"), ["docker.io"])).toBe(true);
    expect(registryAllowed(parseRef("index.docker.io/library/postgres"), ["docker.io/library/*"])).toBe(true);
    expect(registryAllowed(parseRef("ghcr.io/acme/api:v1.0.0"), ["ghcr.io/acme"])).toBe(true);
    expect(registryAllowed(parseRef("ghcr.io/other/api:v1.0.0"), ["ghcr.io/acme"])).toBe(false);
    expect(registryAllowed(parseRef("registry.corp.example:5000/x/y"), ["*.corp.example:5000"])).toBe(true);
    expect(registryAllowed(parseRef("evil.example/corp.example/x"), ["corp.example"])).toBe(false);
  });

  it("matches globs with standard semantics: * inside one segment, ** across, braces", () => {
    expect(registryAllowed(parseRef("ghcr.io/acme/api:v1.0.0"), ["ghcr.io/*/api"])).toBe(true);
    expect(registryAllowed(parseRef("ghcr.io/acme/team/api:v1.0.0"), ["ghcr.io/*/api"])).toBe(false);
    expect(registryAllowed(parseRef("ghcr.io/acme/team/api:v1.0.0"), ["ghcr.io/**/api"])).toBe(true);
    expect(registryAllowed(parseRef("quay.io/x/y"), ["{ghcr,quay}.io"])).toBe(true);
    expect(registryAllowed(parseRef("gcr.io/x/y"), ["{ghcr,quay}.io"])).toBe(false);
  });

  it("reports a registry outside the list with the fix", () => {
    const [f] = checkRef("quay.io/x/y:v1.0.0", ctx({ allowedRegistries: ["ghcr.io/acme", "localhost:5000"] }));
    expect(f).toEqual({
      rule: "allowed-registries",
      message: "quay.io/x/y is not from an allowed registry (ghcr.io/acme, localhost:5000)",
      fix: "use an image from an allowed registry (mirror it there), or add quay.io to policy.allowed_registries",
    });
  });
});

describe("tag rules", () => {
  it("accepts seed 002's tags and refuses others", () => {
    expect(rules("r.example/app:v1.2.3")).toEqual([]);
    expect(rules("r.example/app:env-staging")).toEqual([]);
    expect(rules("r.example/app:6350192")).toEqual([]);
    expect(rules("r.example/app:main-build")).toEqual(["tag-pattern"]);
    expect(rules("r.example/app:main-build", { tagPattern: "^main-" })).toEqual([]);
  });

  it("forbids latest and a missing tag only in production files", () => {
    expect(rules("nginx:latest")).toEqual([]);
    expect(rules("nginx")).toEqual([]);
    expect(rules("nginx:latest", { production: true })).toEqual(["no-latest"]);
    expect(checkRef("nginx", ctx({ production: true }))[0]?.message).toBe("no tag (means latest) in a production file");
    expect(rules(`nginx:latest@${DIGEST}`, { production: true })).toEqual(["no-latest"]);
    expect(rules(`nginx@${DIGEST}`, { production: true })).toEqual([]);
  });

  it("requires a digest when asked, naming pin as the fix", () => {
    const [f] = checkRef("r.example/app:v1.2.3", ctx({ requireDigest: true, file: "deploy/compose.yml" }));
    expect(f).toMatchObject({ rule: "require-digest", fix: "pin it: pinroll pin deploy/compose.yml (writes name:tag@sha256:...)" });
    expect(rules(`r.example/app:v1.2.3@${DIGEST}`, { requireDigest: true })).toEqual([]);
  });

  it("reports a malformed reference instead of passing it", () => {
    expect(rules("r.example/App:v1")).toEqual(["invalid-reference"]);
  });
});

describe("files", () => {
  it("tells Dockerfiles from compose files by name, with pin's rule", () => {
    const names = ["Dockerfile", "Dockerfile.prod", "Dockerfile-prod", "Dockerfile_prod", "api.dockerfile", "Containerfile"];
    expect(names.map((f) => fileKind(f, ""))).toEqual(names.map(() => "dockerfile"));
    expect(["compose.yml", "docker-compose.override.yml"].map((f) => fileKind(f, ""))).toEqual(["compose", "compose"]);
    expect(fileKind("build/base", "# base image\nFROM alpine:3.20\n")).toBe("dockerfile");
  });

  it("checks Dockerfile-prod and Dockerfile_prod as Dockerfiles, so FROM evil/x:latest is refused (issue 10)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-policy-"));
    const policy: Policy = { tag_pattern: DEFAULT_POLICY_TAG_PATTERN, production_files: ["Dockerfile*"], require_digest: false };
    for (const name of ["Dockerfile-prod", "Dockerfile_prod"]) {
      fs.writeFileSync(path.join(dir, name), "FROM evil/x:latest\n");
      const r = checkFile(path.join(dir, name), name, name, policy);
      expect(r.violations.map((v) => [v.file, v.line, v.ref, v.rule])).toEqual([[name, 1, "evil/x:latest", "no-latest"]]);
    }
  });

  it("matches production globs against the path, or the name when the glob has no /", () => {
    expect(isProductionFile("stacks/prod/docker-compose.yml", ["stacks/prod/*.yml"])).toBe(true);
    expect(isProductionFile("stacks/dev/docker-compose.yml", ["stacks/prod/*.yml"])).toBe(false);
    expect(isProductionFile("a/b/docker-compose.prod.yml", ["*.prod.yml"])).toBe(true);
    expect(isProductionFile("a/b/docker-compose.prod.yml", ["**/docker-compose.prod.yml"])).toBe(true);
  });

  it("matches with standard glob semantics: **/ at the top, * inside one segment, braces", () => {
    expect(isProductionFile("prod-compose.yml", ["**/prod-*.yml"])).toBe(true);
    expect(isProductionFile("stacks/prod-compose.yml", ["**/prod-*.yml"])).toBe(true);
    expect(isProductionFile("stacks/prod/a/compose.yml", ["stacks/*/compose.yml"])).toBe(false);
    expect(isProductionFile("stacks/prod/compose.yml", ["stacks/{prod,live}/compose.yml"])).toBe(true);
    expect(isProductionFile("stacks/dev/compose.yml", ["stacks/{prod,live}/compose.yml"])).toBe(false);
  });

  it("checks every FROM of a Dockerfile with its line, skipping stages and scratch", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-policy-"));
    const file = path.join(dir, "Dockerfile");
    fs.writeFileSync(
      file,
      [
        "ARG BASE=node:latest",
        "FROM ${BASE} AS build",
        "RUN make",
        "FROM build AS test",
        "FROM scratch",
        "COPY --from=build /out /",
        "",
      ].join("\n"),
    );
    const policy: Policy = { tag_pattern: DEFAULT_POLICY_TAG_PATTERN, production_files: ["Dockerfile"], require_digest: false };
    const r = checkFile(file, "Dockerfile", "Dockerfile", policy);
    expect(r.violations.map((v) => [v.line, v.ref, v.rule])).toEqual([[2, "node:latest", "no-latest"]]);
    expect(r.skipped.map((s) => s.line)).toEqual([4, 5, 6]);
    expect(r.refs).toBe(1);
  });
});
