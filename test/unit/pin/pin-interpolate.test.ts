// Compose-spec interpolation, one rule at a time, and the .env files docker compose reads (issue 15).
import { describe, expect, it } from "vitest";
import { findComposeRefs } from "../../../src/pin/compose.js";
import { readEnvText } from "../../../src/pin/env-file.js";
import { interpolate, type DefinedVar } from "../../../src/pin/interpolate.js";
import { applyEdits } from "../../../src/pin/splice.js";

const D = `sha256:${"ef".repeat(32)}`;
const vars = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, value]) => [k, { value, file: ".env" }]));
const value = (raw: string, env: Record<string, string> = {}) => interpolate(raw, vars(env)).value;

describe("interpolate", () => {
  it("$VAR and ${VAR} read the variable", () => {
    expect(value("$IMG:1", { IMG: "nginx" })).toBe("nginx:1");
    expect(value("${IMG}:1", { IMG: "nginx" })).toBe("nginx:1");
    expect(interpolate("${IMG}:1").unresolved).toEqual(["IMG"]);
  });

  it("${VAR:-d} takes d when VAR is unset or empty, ${VAR-d} only when unset", () => {
    expect(value("nginx:${T:-1.27}")).toBe("nginx:1.27");
    expect(value("nginx:${T:-1.27}", { T: "" })).toBe("nginx:1.27");
    expect(value("nginx:${T:-1.27}", { T: "1.25" })).toBe("nginx:1.25");
    expect(value("nginx:${T-1.27}")).toBe("nginx:1.27");
    expect(value("nginx:${T-1.27}", { T: "" })).toBe("nginx:");
  });

  it("${VAR:+a} takes a when VAR is set and not empty, ${VAR+a} when set at all", () => {
    expect(value("nginx${S:+:1.27}", { S: "x" })).toBe("nginx:1.27");
    expect(value("nginx${S:+:1.27}", { S: "" })).toBe("nginx");
    expect(value("nginx${S+:1.27}", { S: "" })).toBe("nginx:1.27");
    expect(value("nginx${S+:1.27}")).toBe("nginx");
  });

  it("${VAR:?e} fails when VAR is unset or empty, ${VAR?e} only when unset, with Compose's message", () => {
    expect(interpolate("nginx:${T:?set T to a release}").error).toBe("required variable T is missing a value: set T to a release");
    expect(interpolate("nginx:${T:?set T}", vars({ T: "" })).error).toBe("required variable T is missing a value: set T");
    expect(interpolate("nginx:${T?}").error).toBe("required variable T is missing a value");
    expect(interpolate("nginx:${T?set T}", vars({ T: "" }))).toMatchObject({ value: "nginx:", unresolved: [] });
    expect(interpolate("nginx:${T:?set T}", vars({ T: "1.27" })).value).toBe("nginx:1.27");
  });

  it("$$ is a literal $, and a $ before anything else stays", () => {
    expect(value("a$$b")).toBe("a$b");
    expect(value("a$$IMG", { IMG: "x" })).toBe("a$IMG");
    expect(value("a$-b")).toBe("a$-b");
  });

  it("nests defaults", () => {
    expect(value("${A:-${B:-nginx:1.27}}")).toBe("nginx:1.27");
    expect(value("${A:-${B:-nginx:1.27}}", { B: "redis:7" })).toBe("redis:7");
    expect(value("${A:-${B:-nginx}:${T:-1}}", { T: "2" })).toBe("nginx:2");
    expect(interpolate("${A:-${B}}").unresolved).toEqual(["B"]);
  });

  it("refuses an invalid template", () => {
    expect(interpolate("nginx:${}").error).toMatch(/^invalid interpolation format/);
    expect(interpolate("nginx:${T:-1").error).toMatch(/^invalid interpolation format/);
    expect(interpolate("nginx:${T!x}").error).toMatch(/^invalid interpolation format/);
  });

  it("says where the value ends: inside a trailing default, or where the variable is defined", () => {
    expect(interpolate("${A:-${B:-nginx:1.27}}").end).toBe(20);
    const defined = new Map<string, DefinedVar>([["IMG", { value: "nginx:1.27", file: ".env", tail: 14 }]]);
    expect(interpolate("${IMG}", defined).tail).toEqual({ file: ".env", at: 14 });
    expect(interpolate("${IMG}-x", defined)).toMatchObject({ end: 8 });
    expect(interpolate("${IMG}-x", defined).tail).toBeUndefined();
  });
});

describe("env files", () => {
  const read = (text: string) => {
    const out = new Map<string, DefinedVar>();
    readEnvText({ file: ".env", text }, out);
    return out;
  };

  it("reads KEY=value, export, comments, quotes and ${VAR} from earlier lines", () => {
    const env = read(
      [
        "# registry",
        "export REG=localhost:5000",
        "IMG=${REG}/app  # the app",
        "SINGLE='${REG} as is'",
        'DOUBLE="a\\"b"',
        "EMPTY=",
        "",
      ].join("\n"),
    );
    expect(Object.fromEntries([...env].map(([k, v]) => [k, v.value]))).toEqual({
      REG: "localhost:5000",
      IMG: "localhost:5000/app",
      SINGLE: "${REG} as is",
      DOUBLE: 'a"b',
      EMPTY: "",
    });
  });

  it("keeps where each value's text ends, before a closing quote or an inline comment", () => {
    const text = 'A=nginx:1.27 # web\nB="redis:7"\nC=${A}\n';
    const env = read(text);
    expect(text.slice(0, env.get("A")!.tail)).toBe("A=nginx:1.27");
    expect(text.slice(0, env.get("B")!.tail)).toBe('A=nginx:1.27 # web\nB="redis:7');
    expect(env.get("C")!.tail).toBe(env.get("A")!.tail);
  });
});

describe("findComposeRefs with .env", () => {
  const ENV = "# images\nWEB_IMAGE=nginx:1.27\nTAG=7\nEMPTY=\n";
  const COMPOSE = [
    "services:",
    "  web:",
    "    image: ${WEB_IMAGE}",
    "  cache:",
    "    image: redis:${TAG}",
    "  api:",
    "    image: ${API_IMAGE:-localhost:5000/api:1}",
    "  blank:",
    "    image: busybox:${EMPTY-1.36}",
    "  needed:",
    "    image: ${NEEDED:?set NEEDED to the worker image}",
    "",
  ].join("\n");
  const env = {
    files: [{ file: ".env", text: ENV }],
    vars: (() => {
      const v = new Map<string, DefinedVar>();
      readEnvText({ file: ".env", text: ENV }, v);
      return v;
    })(),
  };
  const refs = findComposeRefs(COMPOSE, env);

  it("reports the image compose would run, and an unset ${VAR:?e} with its message", () => {
    expect(refs.map((r) => [r.line, r.ref, r.skip])).toEqual([
      [3, "nginx:1.27", null],
      [5, "redis:7", null],
      [7, "localhost:5000/api:1", null],
      [9, "busybox:", "not a valid image reference"],
      [11, "${NEEDED:?set NEEDED to the worker image}", "required variable NEEDED is missing a value: set NEEDED to the worker image"],
    ]);
  });

  it("puts each digest where the value is defined: the .env line, or the default in the compose file", () => {
    const edits = refs.filter((r) => r.slot).map((r) => ({ ...r.slot!, text: `@${D}` }));
    const envEdits = edits.filter((e) => e.file === ".env");
    expect(applyEdits(ENV, envEdits)).toBe(ENV.replace("nginx:1.27", `nginx:1.27@${D}`).replace("TAG=7", `TAG=7@${D}`));
    expect(
      applyEdits(
        COMPOSE,
        edits.filter((e) => e.file === undefined),
      ),
    ).toBe(COMPOSE.replace("api:1}", `api:1@${D}}`));
  });
});
