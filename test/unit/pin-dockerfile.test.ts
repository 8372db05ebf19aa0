import { describe, expect, it } from "vitest";
import { expand, findDockerfileRefs } from "../../src/pin/dockerfile.js";
import { parseInstructions } from "../../src/pin/dockerfile-lines.js";
import type { FoundRef } from "../../src/pin/refs.js";
import { applyEdits } from "../../src/pin/splice.js";

const D = `sha256:${"cd".repeat(32)}`;

function pinAll(text: string, refs: FoundRef[]): string {
  return applyEdits(
    text,
    refs.filter((r) => r.slot && !r.ref.includes("@")).map((r) => ({ ...r.slot!, text: `@${D}` })),
  );
}

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG PY_VERSION=3.11
ARG BASE_IMAGE="node:20-alpine"
ARG UNSET

FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN go build ./...

from   python:\${PY_VERSION}-slim   as   runtime
COPY --from=build /out /app
COPY --link --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/
COPY --from=0 /a /b

FROM \${BASE_IMAGE} AS web
FROM build AS test
FROM scratch
FROM \${UNSET}
FROM $BASE_IMAGE
RUN <<EOF
FROM not-an-instruction:1
EOF
FROM \\
    # a comment inside the continuation
    alpine:3.20
`;

describe("findDockerfileRefs", () => {
  const refs = findDockerfileRefs(DOCKERFILE);

  it("reports FROM and COPY --from with lines, kinds and ARG defaults resolved", () => {
    expect(refs.map((r) => [r.line, r.ref, r.kind])).toEqual([
      [6, "golang:1.22", "dockerfile-from"],
      [9, "python:3.11-slim", "dockerfile-from"],
      [10, "build", "dockerfile-copy-from"],
      [11, "nginx:1.25", "dockerfile-copy-from"],
      [12, "0", "dockerfile-copy-from"],
      [14, "node:20-alpine", "dockerfile-from"],
      [15, "build", "dockerfile-from"],
      [16, "scratch", "dockerfile-from"],
      [17, "${UNSET}", "dockerfile-from"],
      [18, "node:20-alpine", "dockerfile-from"],
      [24, "alpine:3.20", "dockerfile-from"],
    ]);
  });

  it("skips stage aliases, stage indexes, scratch and ARGs without a default, with the reason", () => {
    const skips = refs.filter((r) => r.skip).map((r) => [r.line, r.skip]);
    expect(skips).toEqual([
      [10, "stage alias: build is a build stage, not an image"],
      [12, "stage index 0"],
      [15, "stage alias: build is a build stage, not an image"],
      [16, "scratch is an empty base, not an image"],
      [17, "uses ${UNSET} with no default (ARG UNSET=... before it)"],
    ]);
  });

  it("pins in place: FROM lines keep flags, case and spacing; FROM ${BASE_IMAGE} pins the ARG default once", () => {
    const expected = DOCKERFILE.replace('"node:20-alpine"', `"node:20-alpine@${D}"`)
      .replace("golang:1.22 AS", `golang:1.22@${D} AS`)
      .replace("-slim   as", `-slim@${D}   as`)
      .replace("nginx:1.25 /etc", `nginx:1.25@${D} /etc`)
      .replace("    alpine:3.20\n", `    alpine:3.20@${D}\n`);
    expect(pinAll(DOCKERFILE, refs)).toBe(expected);
  });

  it("keeps CRLF line endings, continuations included", () => {
    const crlf = DOCKERFILE.replace(/\n/g, "\r\n");
    expect(pinAll(crlf, findDockerfileRefs(crlf))).toBe(pinAll(DOCKERFILE, refs).replace(/\n/g, "\r\n"));
  });

  it("lets FROM see only ARGs declared before the first FROM", () => {
    const [, late] = findDockerfileRefs("FROM alpine:3 AS a\nARG LATE=python:3\nFROM ${LATE}\n");
    expect(late!.skip).toMatch(/^uses \$\{LATE\}/);
  });

  it("treats COPY --from naming a later stage as a stage", () => {
    const [copy] = findDockerfileRefs("FROM alpine:3\nCOPY --from=later /a /b\nFROM busybox AS later\n").filter(
      (r) => r.kind !== "dockerfile-from",
    );
    expect(copy!.skip).toMatch(/^stage alias/);
  });

  it("finds the digest already in a pinned reference, in the FROM line or the ARG default", () => {
    const old = `sha256:${"0".repeat(64)}`;
    const text = `ARG B=redis:7@${old}\nFROM alpine:3.20@${old}\nFROM \${B}\n`;
    for (const r of findDockerfileRefs(text)) {
      expect(r.ref.endsWith(`@${old}`)).toBe(true);
      expect(text.slice(r.slot!.start, r.slot!.end)).toBe(`@${old}`);
    }
  });

  it("follows the escape directive's backtick continuation", () => {
    const text = "# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\n";
    expect(findDockerfileRefs(text).map((r) => [r.line, r.ref])).toEqual([[3, "mcr.microsoft.com/windows/servercore:ltsc2022"]]);
  });
});

describe("parseInstructions", () => {
  it("gives each token its source range and marks tokens split by a continuation", () => {
    const text = "FROM  alp\\\nine:3 AS x\n";
    const [from] = parseInstructions(text);
    expect(from!.keyword).toBe("FROM");
    expect(from!.args.map((t) => [t.text, t.contiguous])).toEqual([
      ["alpine:3", false],
      ["AS", true],
      ["x", true],
    ]);
    expect(text.slice(from!.args[1]!.start, from!.args[1]!.end)).toBe("AS");
  });

  it("skips heredoc bodies, including <<- with tabs", () => {
    const text = "FROM a:1\nRUN <<-EOT bash\n\tFROM b:2\n\tEOT\nFROM c:3\n";
    expect(parseInstructions(text).map((i) => [i.line, i.keyword])).toEqual([
      [1, "FROM"],
      [2, "RUN"],
      [5, "FROM"],
    ]);
  });
});

describe("expand", () => {
  const scope = new Map([
    ["V", { value: "3.11" }],
    ["EMPTY", {}],
  ]);
  it("substitutes $X, ${X}, ${X:-word} and ${X:+word} from ARG defaults", () => {
    expect(expand("python:${V}-slim", scope)).toEqual({ value: "python:3.11-slim", unresolved: [] });
    expect(expand("python:$V", scope).value).toBe("python:3.11");
    expect(expand("python:${EMPTY:-3.12}", scope).value).toBe("python:3.12");
    expect(expand("python${V:+-alpine}", scope).value).toBe("python-alpine");
  });

  it("names what it cannot resolve", () => {
    expect(expand("${EMPTY}/app:${NOPE}", scope).unresolved).toEqual(["EMPTY", "NOPE"]);
    expect(expand("app:${V#3.}", scope).unresolved).toEqual(["V"]);
  });
});
