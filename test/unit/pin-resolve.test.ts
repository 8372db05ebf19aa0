import { describe, expect, it } from "vitest";
import { parseRef } from "../../src/registry/ref.js";
import { resolveDigests, resolveKey } from "../../src/pin/resolve.js";

describe("resolveKey", () => {
  it("gives one key to the spellings the engine treats as one image, so each is resolved once", () => {
    const keys = ["postgres:16", "docker.io/postgres:16", "index.docker.io/library/postgres:16", "postgres:16@sha256:" + "0".repeat(64)];
    expect(new Set(keys.map((k) => resolveKey(parseRef(k))))).toEqual(new Set(["docker.io/library/postgres:16"]));
  });

  it("follows latest when no tag is written, as the engine pulls", () => {
    expect(resolveKey(parseRef("alpine"))).toBe("docker.io/library/alpine:latest");
    expect(resolveKey(parseRef("localhost:5000/app@sha256:" + "1".repeat(64)))).toBe("localhost:5000/app:latest");
  });

  it("asks no registry when there is nothing to resolve", async () => {
    expect(await resolveDigests([])).toEqual(new Map());
  });
});
