import { describe, expect, it } from "vitest";
import { findDockerfileRefs } from "../../../src/pin/dockerfile.js";
import { parseInstructions } from "../../../src/pin/dockerfile-lines.js";
import type { FoundRef } from "../../../src/pin/refs.js";
import { applyEdits } from "../../../src/pin/splice.js";

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

describe("findDockerfileRefs reads words as BuildKit does (issue 15)", () => {
  const one = (text: string) => findDockerfileRefs(text)[0]!;

  it("removes a prefix or suffix: ${V#p} ${V##p} ${V%p} ${V%%p}", () => {
    expect(one("ARG image=idlebox\nFROM busy${image#idle} AS build\n")).toMatchObject({ ref: "busybox", skip: null });
    expect(one("ARG T=a-b-1.36\nFROM busybox:${T##*-}\n").ref).toBe("busybox:1.36");
    expect(one("ARG T=1.36-rc-1\nFROM busybox:${T%-*}\n").ref).toBe("busybox:1.36-rc");
    expect(one("ARG T=1.36-rc-1\nFROM busybox:${T%%-*}\n").ref).toBe("busybox:1.36");
  });

  it('tells ${V-d} from ${V:-d}: an ARG set to "" is set', () => {
    expect(one('ARG T=""\nFROM busybox:${T-1.36}\n')).toMatchObject({
      ref: "busybox:",
      invalid: 'invalid tag "" in image reference "busybox:"',
    });
    expect(one('ARG T=""\nFROM busybox:${T:-1.36}\n').ref).toBe("busybox:1.36");
    expect(one("ARG T\nFROM busybox:${T-1.36}\n").ref).toBe("busybox:1.36");
    expect(one('ARG T=""\nFROM scratch${T-@bogus}\n').skip).toBe("scratch is an empty base, not an image");
  });

  it("applies ${V:+w} and ${V+w}", () => {
    expect(one("ARG S=1\nFROM busybox${S:+:1.36}\n").ref).toBe("busybox:1.36");
    expect(one('ARG S=""\nFROM busybox${S:+:1.36}\n').ref).toBe("busybox");
    expect(one('ARG S=""\nFROM busybox${S+:1.36}\n').ref).toBe("busybox:1.36");
  });

  it("reports ${V:?message} with BuildKit's message", () => {
    expect(one("ARG B\nFROM ${B:?set-BASE-first}\n").skip).toBe("cannot be expanded: B: set-BASE-first");
    expect(one("FROM ${B?}\n").skip).toBe("cannot be expanded: B: is not allowed to be unset");
  });

  it("removes quotes and escapes, with the escape directive's char", () => {
    expect(one('ARG V="1.36"\nFROM "busybox:$V"\n').ref).toBe("busybox:1.36");
    expect(one("ARG V=1.36\nFROM 'busybox:$V'\n").ref).toBe("busybox:$V");
    expect(one("FROM busy\\box\n").ref).toBe("busybox");
    expect(one("# escape=`\nARG V=1.36\nFROM busybox:`$V\n").skip).toBe("not a valid image reference");
  });

  it("gives platform ARGs no default, even when the file writes one", () => {
    const ref = one("ARG TARGETOS=linux\nFROM scratch AS stage-linux\nFROM stage-$TARGETOS\n");
    expect(findDockerfileRefs("ARG TARGETOS=linux\nFROM scratch AS stage-linux\nFROM stage-$TARGETOS\n")[1]!.skip).toBe(
      "uses ${TARGETOS}, a platform ARG the builder sets; the file gives no value",
    );
    expect(ref.skip).toBe("scratch is an empty base, not an image");
    expect(one("FROM alpine:${BUILDOS:-3.20}\n").skip).toMatch(/platform ARG/);
  });

  it("lets COPY --from see only its own stage's ARGs and ENVs", () => {
    const refs = (text: string) => findDockerfileRefs(text).filter((r) => r.kind === "dockerfile-copy-from");
    expect(refs("ARG SRC=nginx:1.25\nFROM alpine:3\nCOPY --from=$SRC /a /b\n")[0]!.skip).toBe(
      "uses ${SRC}, which this stage does not declare (COPY --from sees only its stage's ARG and ENV)",
    );
    expect(refs("ARG SRC=nginx:1.25\nFROM alpine:3\nARG SRC\nCOPY --from=$SRC /a /b\n")[0]!.ref).toBe("nginx:1.25");
    expect(refs("FROM alpine:3\nARG SRC=nginx:1.27\nCOPY --from=${SRC} /a /b\n")[0]!.ref).toBe("nginx:1.27");
    expect(refs("FROM alpine:3\nENV SRC=nginx:1.28\nCOPY --from=${SRC} /a /b\n")[0]!.ref).toBe("nginx:1.28");
  });

  it("reports an invalid reference as invalid, never as pinned", () => {
    for (const bad of ["scratch@bogus", "busybox@latest"]) {
      const ref = one(`FROM ${bad}\n`);
      expect(ref).toMatchObject({ ref: bad, skip: "not a valid image reference" });
      expect(ref.invalid).toMatch(/invalid digest/);
      expect(ref.slot).toBeUndefined();
    }
  });

  it("gives the line the instruction starts on beside the line the name is on", () => {
    expect(one("# escape = `\n\nFROM `\n    image\n")).toMatchObject({ line: 4, instructionLine: 3, ref: "image" });
  });

  it("pins a whole ${BASE} in its ARG default, following one ARG to another", () => {
    const text = 'ARG REG=localhost:5000\nARG IMG="${REG}/app:1"\nARG BASE=${IMG}\nFROM ${BASE}\n';
    const [ref] = findDockerfileRefs(text);
    expect(ref!.ref).toBe("localhost:5000/app:1");
    expect(pinAll(text, [ref!])).toBe(text.replace('/app:1"', `/app:1@${D}"`));
  });
});
