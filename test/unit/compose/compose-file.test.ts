import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pinnedServices, readComposeServices, type ComposeService } from "../../../src/compose/file.js";
import { UsageError } from "../../../src/errors.js";

describe("pinnedServices", () => {
  const services: ComposeService[] = [
    { service: "web", image: "${REGISTRY:-localhost:5000}/demo/web:${TAG:-latest}" },
    { service: "worker", image: "localhost:5000/demo/worker:abc1234@sha256:" + "0".repeat(64) },
    { service: "db", image: "postgres:16" },
    { service: "cache", image: "redis:7" },
    { service: "builder" },
    { service: "broken", image: "Not A Ref" },
  ];

  it("resolves ${VAR:-default} to its default and normalises the ref", () => {
    const [web] = pinnedServices(services, ["localhost:5000/demo/web"]);
    expect(web).toEqual({
      service: "web",
      written: "localhost:5000/demo/web:latest",
      ref: { registry: "localhost:5000", repository: "demo/web", tag: "latest" },
    });
  });

  it("resolves ${VAR-default} too", () => {
    const pinned = pinnedServices([{ service: "s", image: "${IMG-ghcr.io/org/app}:1" }], ["ghcr.io/org/*"]);
    expect(pinned.map((p) => p.written)).toEqual(["ghcr.io/org/app:1"]);
  });

  it("pins what a glob matches and leaves the rest to drift", () => {
    expect(pinnedServices(services, ["localhost:5000/demo/*"]).map((p) => p.service)).toEqual(["web", "worker"]);
    expect(pinnedServices(services, ["ghcr.io/**"])).toEqual([]);
  });

  it("matches the normalised name: docker.io/library/postgres pins postgres:16", () => {
    expect(pinnedServices(services, ["docker.io/library/*"]).map((p) => p.service)).toEqual(["db", "cache"]);
  });

  it("matches the name as written: redis* pins redis:7", () => {
    expect(pinnedServices(services, ["redis*"]).map((p) => p.service)).toEqual(["cache"]);
  });

  it("a plain name is compared normalised: postgres pins postgres:16", () => {
    expect(pinnedServices(services, ["postgres"]).map((p) => p.service)).toEqual(["db"]);
  });

  it("the written form drops tag and digest before matching", () => {
    expect(pinnedServices(services, ["localhost:5000/demo/worker"]).map((p) => p.written)).toEqual([
      "localhost:5000/demo/worker:abc1234@sha256:" + "0".repeat(64),
    ]);
  });

  it("skips services without an image and images that are not refs", () => {
    expect(pinnedServices(services, ["**"]).map((p) => p.service)).toEqual(["web", "worker", "db", "cache"]);
  });
});

describe("readComposeServices", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-compose-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("lists services in file order with image as written", () => {
    const file = write(
      "docker-compose.yml",
      `# the app
services:
  web:
    image: \${REGISTRY:-localhost:5000}/demo/web:latest  # pinned by pinroll
    ports: ["8080:80"]
  worker:
    build: ./worker
  db:
    image: postgres:16
  empty:
`,
    );
    expect(readComposeServices(file)).toEqual([
      { service: "web", image: "${REGISTRY:-localhost:5000}/demo/web:latest" },
      { service: "worker" },
      { service: "db", image: "postgres:16" },
      { service: "empty" },
    ]);
  });

  it("a file without services has none", () => {
    expect(readComposeServices(write("empty.yml", ""))).toEqual([]);
    expect(readComposeServices(write("volumes.yml", "volumes:\n  data: {}\n"))).toEqual([]);
  });

  it("a missing file is bad usage naming the file", () => {
    const missing = path.join(dir, "nope.yml");
    expect(() => readComposeServices(missing)).toThrow(UsageError);
    expect(() => readComposeServices(missing)).toThrow(`compose file ${missing} not found`);
  });

  it("invalid YAML is bad usage naming the file", () => {
    const file = write("bad.yml", "services:\n  web:\n    image: [a\n");
    expect(() => readComposeServices(file)).toThrow(new RegExp(`compose file ${file} is not valid YAML`));
  });
});
