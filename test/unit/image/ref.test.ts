import { describe, expect, it } from "vitest";
import { apiHost, isDigest, isPlainHttp, parseRef, repoName } from "../../../src/image/ref.js";

const DIGEST = `sha256:${"ab12".repeat(16)}`;

describe("parseRef", () => {
  it.each([
    ["postgres", { registry: "docker.io", repository: "library/postgres" }],
    ["postgres:16", { registry: "docker.io", repository: "library/postgres", tag: "16" }],
    ["bitnami/redis:7.2", { registry: "docker.io", repository: "bitnami/redis", tag: "7.2" }],
    ["docker.io/postgres", { registry: "docker.io", repository: "library/postgres" }],
    ["index.docker.io/library/nginx:1.27", { registry: "docker.io", repository: "library/nginx", tag: "1.27" }],
    ["registry-1.docker.io/org/app", { registry: "docker.io", repository: "org/app" }],
    ["ghcr.io/org/app:1.2.3", { registry: "ghcr.io", repository: "org/app", tag: "1.2.3" }],
    ["localhost/app", { registry: "localhost", repository: "app" }],
    ["localhost:5000/demo/hello-world", { registry: "localhost:5000", repository: "demo/hello-world" }],
    ["registry:5000/team/app:v1", { registry: "registry:5000", repository: "team/app", tag: "v1" }],
    ["10.0.0.5:5000/a/b/c:latest", { registry: "10.0.0.5:5000", repository: "a/b/c", tag: "latest" }],
  ])("%s", (input, expected) => {
    expect(parseRef(input)).toEqual(expected);
  });

  it("keeps a first path part without '.', ':' or localhost as a Docker Hub namespace", () => {
    expect(parseRef("myorg/app")).toEqual({ registry: "docker.io", repository: "myorg/app" });
  });

  it("splits the tag on the last ':' after the last '/', so a registry port is not a tag", () => {
    expect(parseRef("localhost:5000/app")).toEqual({ registry: "localhost:5000", repository: "app" });
    expect(parseRef("localhost:5000/app:5001")).toEqual({ registry: "localhost:5000", repository: "app", tag: "5001" });
  });

  it("reads a digest, with or without a tag", () => {
    expect(parseRef(`postgres@${DIGEST}`)).toEqual({ registry: "docker.io", repository: "library/postgres", digest: DIGEST });
    expect(parseRef(`localhost:5000/demo/app:6350192@${DIGEST}`)).toEqual({
      registry: "localhost:5000",
      repository: "demo/app",
      tag: "6350192",
      digest: DIGEST,
    });
  });

  it("trims surrounding whitespace", () => {
    expect(parseRef("  redis:7 \n")).toEqual({ registry: "docker.io", repository: "library/redis", tag: "7" });
  });

  it.each([
    ["", /invalid repository name/],
    ["Postgres", /invalid repository name "library\/Postgres"/],
    ["myorg/App:1", /invalid repository name "myorg\/App"/],
    ["a:b:c", /invalid repository name "library\/a:b"/],
    ["app:bad tag", /invalid tag "bad tag"/],
    ["app:-leading-dash", /invalid tag/],
    [`app:${"x".repeat(129)}`, /invalid tag/],
    ["app@sha256:short", /invalid digest/],
    ["app@latest", /invalid digest/],
    ["localhost:5000/", /invalid repository name ""/],
  ])("rejects %j", (input, message) => {
    expect(() => parseRef(input)).toThrow(message);
  });

  it("names the whole input in the error", () => {
    expect(() => parseRef("ghcr.io/Org/app")).toThrow('in image reference "ghcr.io/Org/app"');
  });
});

describe("repoName", () => {
  it("writes the fully qualified repository", () => {
    expect(repoName(parseRef("nginx:1.27"))).toBe("docker.io/library/nginx");
    expect(repoName(parseRef(`localhost:5000/demo/app:abc1234@${DIGEST}`))).toBe("localhost:5000/demo/app");
  });
});

describe("isDigest", () => {
  it("accepts algorithm:hex and rejects tags", () => {
    expect(isDigest(DIGEST)).toBe(true);
    expect(isDigest("6350192")).toBe(false);
    expect(isDigest("sha256:abc")).toBe(false);
  });
});

describe("isPlainHttp", () => {
  // The hosts crane v0.21.9 reaches over plain http without --insecure (pkg/name/registry.go, Scheme).
  it.each([
    "localhost",
    "localhost:5000",
    "registry.localhost:5000",
    "127.0.0.1",
    "127.0.0.1:5000",
    "[::1]:5000",
    "10.1.2.3:5000",
    "172.16.0.1",
    "172.31.255.255:443",
    "192.168.1.10:5000",
  ])("%s is plain http", (registry) => {
    expect(isPlainHttp(registry)).toBe(true);
  });

  it.each([
    "docker.io",
    "ghcr.io",
    "registry.example.com:5000",
    "172.15.0.1",
    "172.32.0.1:5000",
    "11.0.0.1",
    "10.registry.example.com",
    "192.168.example.com:5000",
    "mylocalhost:5000",
    "nas.local:5000",
    "127.0.0.2:5000",
  ])("%s is https", (registry) => {
    expect(isPlainHttp(registry)).toBe(false);
  });
});

describe("apiHost", () => {
  it("sends Docker Hub to registry-1.docker.io and leaves other registries alone", () => {
    expect(apiHost("docker.io")).toBe("registry-1.docker.io");
    expect(apiHost("localhost:5000")).toBe("localhost:5000");
    expect(apiHost("ghcr.io")).toBe("ghcr.io");
  });
});
