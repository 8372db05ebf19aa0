import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseRef } from "../../../src/image/ref.js";
import { RegistryClient } from "../../../src/registry/http.js";
import { resolveDigests, resolveKey } from "../../../src/pin/resolve.js";

describe("resolveKey", () => {
  it("gives one key to the spellings the engine treats as one image, so each is resolved once", () => {
    const keys = ["postgres:16", "docker.io/postgres:16", "index.docker.io/library/postgres:16", "postgres:16@sha256:" + "0".repeat(64)];
    expect(new Set(keys.map((k) => resolveKey(parseRef(k))))).toEqual(new Set(["docker.io/library/postgres:16"]));
  });

  it("follows latest when no tag is written, as the engine pulls", () => {
    expect(resolveKey(parseRef("alpine"))).toBe("docker.io/library/alpine:latest");
    expect(resolveKey(parseRef("localhost:5000/app@sha256:" + "1".repeat(64)))).toBe("localhost:5000/app:latest");
  });
});

describe("resolveDigests", () => {
  afterEach(() => vi.restoreAllMocks());

  /** Counts every registry call, through the client and on the wire (a loopback server that answers 404). */
  async function watchRegistry() {
    const calls = [vi.spyOn(RegistryClient.prototype, "digest"), vi.spyOn(RegistryClient.prototype, "manifest")];
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
      port,
      asked: () => requests + calls.reduce((n, c) => n + c.mock.calls.length, 0),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it("asks no registry when there is nothing to resolve", async () => {
    const watch = await watchRegistry();
    try {
      // The watch sees a real ask: one reference to the loopback registry is counted...
      await resolveDigests([parseRef(`127.0.0.1:${watch.port}/pin/app:1`)]);
      const control = watch.asked();
      expect(control).toBeGreaterThan(0);
      // ...and nothing to resolve asks nothing more, of this registry or any other.
      expect(await resolveDigests([])).toEqual(new Map());
      expect(watch.asked()).toBe(control);
    } finally {
      await watch.close();
    }
  });
});
