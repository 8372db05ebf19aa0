import { describe, expect, it } from "vitest";
import {
  EXIT,
  PinrollError,
  RegistryError,
  ToolError,
  UsageError,
  classifyRegistryText,
  errorLine,
  lastLine,
  type RegistryFault,
} from "../../../src/errors.js";

describe("classifyRegistryText", () => {
  it.each<[string, RegistryFault]>([
    ["MANIFEST_UNKNOWN: Unknown manifest", "not-found"],
    ["NAME_UNKNOWN: repository name not known to registry", "not-found"],
    ['{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}', "not-found"],
    ["HTTP 404 Not Found", "not-found"],
    ["UNAUTHORIZED: authentication required", "auth"],
    ["DENIED: requested access to the resource is denied", "auth"],
    ["unexpected status code 403 Forbidden", "auth"],
    ["TOOMANYREQUESTS: You have reached your pull rate limit.", "rate-limited"],
    ["HTTP 429", "rate-limited"],
    ["UNSUPPORTED: The operation is unsupported.", "unsupported"],
    ["unexpected status code 405 Method Not Allowed", "unsupported"],
    ["dial tcp 127.0.0.1:5998: connect: connection refused", "unreachable"],
    ["connect ECONNREFUSED 127.0.0.1:5998", "unreachable"],
    ["dial tcp: lookup nope.example on 10.0.0.53:53: no such host", "unreachable"],
    ["getaddrinfo ENOTFOUND nope.example", "unreachable"],
    ["dial tcp 10.9.9.9:443: i/o timeout", "unreachable"],
    ["read tcp 127.0.0.1:1->127.0.0.1:5000: read: connection reset by peer", "unreachable"],
    ["unexpected end of JSON input", "other"],
    ["", "other"],
  ])("%j -> %s", (text, fault) => {
    expect(classifyRegistryText(text)).toBe(fault);
  });

  it("does not read a status code into a digest or a port", () => {
    expect(classifyRegistryText(`pushed sha256:a404b4010429e4050000 size: 4040`)).toBe("other");
    expect(classifyRegistryText("dial tcp 127.0.0.1:4290: connect: connection refused")).toBe("unreachable");
  });

  it("a transport failure wins over a number that looks like a status code in the ref", () => {
    const stderr =
      'Error: fetching manifest 127.0.0.1:5998/a/b:401: Get "http://127.0.0.1:5998/v2/": dial tcp 127.0.0.1:5998: connect: connection refused';
    expect(classifyRegistryText(stderr)).toBe("unreachable");
  });
});

describe("RegistryError", () => {
  it.each<[RegistryFault, number]>([
    ["not-found", EXIT.usage],
    ["auth", EXIT.usage],
    ["unreachable", EXIT.usage],
    ["unsupported", EXIT.failed],
    ["rate-limited", EXIT.failed],
    ["other", EXIT.failed],
  ])("%s exits %i", (fault, code) => {
    const err = new RegistryError(fault, "localhost:5000", "msg");
    expect(err.exitCode).toBe(code);
    expect(err).toBeInstanceOf(PinrollError);
    expect(err.name).toBe("RegistryError");
  });

  it("hints name the host where it helps", () => {
    expect(new RegistryError("auth", "ghcr.io", "m").hint).toBe("log in with: crane auth login ghcr.io -u USER --password-stdin");
    expect(new RegistryError("unreachable", "127.0.0.1:5998", "m").hint).toContain("127.0.0.1:5998");
    expect(new RegistryError("not-found", "h", "m").hint).toBeUndefined();
    expect(new RegistryError("other", "h", "m").hint).toBeUndefined();
  });
});

describe("typed errors", () => {
  it("UsageError exits 2, PinrollError 1 by default", () => {
    expect(new UsageError("bad").exitCode).toBe(2);
    expect(new PinrollError("failed").exitCode).toBe(1);
    expect(new UsageError("bad").name).toBe("UsageError");
  });

  it("ToolError says which tool failed with the last line it printed", () => {
    const err = new ToolError("crane", ["ls", "r/a"], 1, "2026/01/01 warning\nError: boom\n");
    expect(err.message).toBe("crane failed (exit 1): Error: boom");
    expect(err.exitCode).toBe(EXIT.failed);
    expect(err.argv).toEqual(["ls", "r/a"]);
    expect(new ToolError("git", [], undefined, "x").message).toBe("git failed (exit ?): x");
  });

  it("lastLine ignores trailing blank lines", () => {
    expect(lastLine("a\nb\n\n")).toBe("b");
    expect(lastLine("")).toBe("");
  });
});

describe("errorLine", () => {
  it("appends the hint in parentheses", () => {
    expect(errorLine(new UsageError('unknown app "x"', "apps in pinroll.yml: web"))).toBe('unknown app "x" (apps in pinroll.yml: web)');
  });

  it("prints a message alone when there is no hint", () => {
    expect(errorLine(new PinrollError("deploy failed"))).toBe("deploy failed");
    expect(errorLine(new TypeError("x is not a function"))).toBe("x is not a function");
  });

  it("prints anything else as a string", () => {
    expect(errorLine("plain")).toBe("plain");
    expect(errorLine(42)).toBe("42");
  });
});
