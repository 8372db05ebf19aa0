import { describe, expect, it } from "vitest";
import { findComposeRefs, interpolate } from "../../../src/pin/compose.js";
import type { FoundRef } from "../../../src/pin/refs.js";
import { applyEdits } from "../../../src/pin/splice.js";

const D = `sha256:${"ab".repeat(32)}`;
const OLD = `sha256:${"01".repeat(32)}`;

/** Pins every unpinned reference with D, the way `pin` splices: only the slots change. */
function pinAll(text: string, refs: FoundRef[]): string {
  return applyEdits(
    text,
    refs.filter((r) => r.slot && !r.ref.includes("@")).map((r) => ({ ...r.slot!, text: `@${D}` })),
  );
}

const COMPOSE = `# the app, comments kept
x-base: &base
  restart: unless-stopped
services:
  db:
    image: postgres:16-alpine   # stateful, pinned by hand
  cache:
    image: 'redis:7'
  web:
    image: "\${WEB_IMAGE:-nginx:1.25}"
  proxy: {image: traefik:v3.0, ports: ["80:80"]}
  app:
    <<: *base
    image:    ghcr.io/org/app:\${APP_TAG:-1.2.3}
  api:
    build: ./api
  worker:
    build:
      context: ./worker
    image: localhost:5000/org/worker:dev
  tagged:
    image: \${REGISTRY}/org/tagged:1
  pinned:
    image: busybox:1.36@${OLD}
  bare:
    image: alpine
`;

describe("findComposeRefs", () => {
  const refs = findComposeRefs(COMPOSE);

  it("reports every image: with its line, the ref as written and defaults resolved", () => {
    expect(refs.map((r) => [r.line, r.ref, r.skip === null])).toEqual([
      [6, "postgres:16-alpine", true],
      [8, "redis:7", true],
      [10, "nginx:1.25", true],
      [11, "traefik:v3.0", true],
      [14, "ghcr.io/org/app:1.2.3", true],
      [15, "", false],
      [20, "localhost:5000/org/worker:dev", false],
      [22, "${REGISTRY}/org/tagged:1", false],
      [24, `busybox:1.36@${OLD}`, true],
      [26, "alpine", true],
    ]);
    expect(new Set(refs.map((r) => r.kind))).toEqual(new Set(["compose-image"]));
  });

  it("skips build-only services, build outputs and variables without a default, with the reason", () => {
    expect(refs[5]!.skip).toBe("service api is built here (build: ./api), no image to pin");
    expect(refs[6]!.skip).toBe("service worker builds this image (build:); it is the build output");
    expect(refs[7]!.skip).toBe("uses ${REGISTRY} with no default in the file");
  });

  it("pins in place: only the digests are added, quotes, comments, spacing and defaults stay byte for byte", () => {
    const expected = COMPOSE.replace("postgres:16-alpine   #", `postgres:16-alpine@${D}   #`)
      .replace("'redis:7'", `'redis:7@${D}'`)
      .replace('"${WEB_IMAGE:-nginx:1.25}"', `"\${WEB_IMAGE:-nginx:1.25@${D}}"`)
      .replace("{image: traefik:v3.0,", `{image: traefik:v3.0@${D},`)
      .replace("${APP_TAG:-1.2.3}", `\${APP_TAG:-1.2.3@${D}}`)
      .replace("image: alpine\n", `image: alpine@${D}\n`);
    expect(pinAll(COMPOSE, refs)).toBe(expected);
  });

  it("gives an already pinned reference the range of its digest, so --update replaces just that", () => {
    const pinned = refs[8]!;
    expect(COMPOSE.slice(pinned.slot!.start, pinned.slot!.end)).toBe(`@${OLD}`);
    expect(applyEdits(COMPOSE, [{ ...pinned.slot!, text: `@${D}` }])).toBe(COMPOSE.replace(OLD, D));
  });

  it("keeps CRLF line endings", () => {
    const crlf = COMPOSE.replace(/\n/g, "\r\n");
    const out = pinAll(crlf, findComposeRefs(crlf));
    expect(out).toBe(pinAll(COMPOSE, refs).replace(/\n/g, "\r\n"));
    expect(out.split("\r\n")).toHaveLength(COMPOSE.split("\n").length);
  });

  it("pins a shared anchor once, where it is written", () => {
    const text = `x-img: &img "redis:7"\nservices:\n  a:\n    image: *img\n  b:\n    image: *img\n`;
    const found = findComposeRefs(text);
    expect(found.map((r) => [r.line, r.ref])).toEqual([[1, "redis:7"]]);
    expect(pinAll(text, found)).toBe(text.replace('"redis:7"', `"redis:7@${D}"`));
  });

  it("finds image: through a <<: merge", () => {
    const text = `x-common: &common\n  image: nginx:1.27\nservices:\n  a:\n    <<: *common\n    ports: ["80"]\n`;
    expect(findComposeRefs(text).map((r) => [r.line, r.ref])).toEqual([[2, "nginx:1.27"]]);
  });

  it("refuses a double-quoted value with escapes rather than guessing its source range", () => {
    const [ref] = findComposeRefs(`services:\n  a:\n    image: "nginx\\x3a1.27"\n`);
    expect(ref!.skip).toMatch(/cannot rewrite in place/);
    expect(ref!.slot).toBeUndefined();
  });

  it("puts the digest before the final newline of a block scalar", () => {
    const text = `services:\n  a:\n    image: |\n      redis:7\n  b:\n    image: x:1\n`;
    const found = findComposeRefs(text);
    expect(found.map((r) => [r.line, r.ref])).toEqual([
      [3, "redis:7"],
      [6, "x:1"],
    ]);
    expect(pinAll(text, found)).toBe(text.replace("redis:7\n", `redis:7@${D}\n`).replace("x:1\n", `x:1@${D}\n`));
  });

  it("skips values that are not image references and finds nothing without services:", () => {
    expect(findComposeRefs(`services:\n  a:\n    image: Not A Ref\n`)[0]!.skip).toBe("not a valid image reference");
    expect(findComposeRefs(`version: "3"\n`)).toEqual([]);
  });

  it("throws on YAML it cannot parse, naming the line", () => {
    expect(() => findComposeRefs(`services:\n  a: [unclosed\n    image: x\n`)).toThrow(/^not valid YAML: .*line/);
  });
});

describe("interpolate", () => {
  it("resolves defaults and puts the end of a trailing default before its brace", () => {
    expect(interpolate("${IMG:-nginx:1.25}")).toEqual({ value: "nginx:1.25", unresolved: [], end: 17 });
    expect(interpolate("nginx:${TAG-1.25}")).toEqual({ value: "nginx:1.25", unresolved: [], end: 16 });
    expect(interpolate("${REG:-localhost:5000}/app:1")).toEqual({ value: "localhost:5000/app:1", unresolved: [], end: 28 });
  });

  it("names variables without a default", () => {
    expect(interpolate("$REG/app:${TAG}").unresolved).toEqual(["REG", "TAG"]);
    // Issue 15 changed this: an unset ${TAG:?message} is Compose's error with its message, not an unresolved variable.
    expect(interpolate("app:${TAG:?set TAG}").error).toBe("required variable TAG is missing a value: set TAG");
    expect(interpolate("a$$b").value).toBe("a$b");
  });
});
