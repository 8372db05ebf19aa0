// BuildKit's shell lexer for one Dockerfile word (lex.go ProcessWord), as pinroll reimplements it (issue 15).
import { describe, expect, it } from "vitest";
import { expandWord, type VarState } from "../../../src/pin/shell-word.js";

const scope =
  (vars: Record<string, string>) =>
  (name: string): VarState =>
    name in vars ? { set: true, value: vars[name]! } : { set: false, why: `no ${name}` };
const word = (raw: string, vars: Record<string, string> = {}, escape = "\\") => expandWord(raw, scope(vars), escape);

describe("expandWord", () => {
  it("removes quotes: single quotes keep $, double quotes expand it", () => {
    expect(word(`'$V'"$V"$V`, { V: "x" }).value).toBe("$Vxx");
    expect(word(`"a\\"b\\$V\\q"`, { V: "x" }).value).toBe('a"b$V\\q');
  });

  it("escapes with the escape char, \\ or the directive's backtick", () => {
    expect(word("a\\$V\\b", { V: "x" }).value).toBe("a$Vb");
    expect(word("a`$V", { V: "x" }, "`").value).toBe("a$V");
    expect(word("a\\b", {}, "`").value).toBe("a\\b");
  });

  it("names every variable the word needs and the file does not give", () => {
    expect(word("$A/${B}:${C:-1}${D#x}")).toMatchObject({ missing: [{ name: "A" }, { name: "B" }, { name: "D" }] });
    expect(word("${A:-$B}").missing).toEqual([{ name: "B", why: "no B" }]);
  });

  it("matches shell patterns: * ? and escaped literals, shortest or longest", () => {
    expect(word("${V#*/}", { V: "a/b/c" }).value).toBe("b/c");
    expect(word("${V##*/}", { V: "a/b/c" }).value).toBe("c");
    expect(word("${V%/*}", { V: "a/b/c" }).value).toBe("a/b");
    expect(word("${V%%/*}", { V: "a/b/c" }).value).toBe("a");
    expect(word("${V#?}", { V: "abc" }).value).toBe("bc");
    expect(word("${V#\\*}", { V: "*a" }).value).toBe("a");
    expect(word("${V#x}", { V: "abc" }).value).toBe("abc");
  });

  it("reports syntax errors as BuildKit words them", () => {
    expect(word("${V").error).toBe("syntax error: missing '}'");
    expect(word("${:-x}").error).toBe("syntax error: bad substitution");
    expect(word("${V:=x}").error).toBe("unsupported modifier (=) in substitution");
    expect(word("'abc").error).toBe("unexpected end of statement while looking for matching single-quote");
    expect(word('"abc').error).toBe("unexpected end of statement while looking for matching double-quote");
  });

  it("leaves a lone $ as it is", () => {
    expect(word("a$").value).toBe("a$");
    expect(word("a$/b").value).toBe("a$/b");
  });
});
