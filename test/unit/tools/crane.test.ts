import { describe, expect, it } from "vitest";
import { EXIT, RegistryError } from "../../../src/errors.js";
import { craneCmd, craneError, hostOf, labelFlag } from "../../../src/tools/crane.js";

describe("craneCmd", () => {
  it("builds read commands", () => {
    expect(craneCmd.ls("localhost:5000/demo/app")).toEqual({ tool: "crane", argv: ["ls", "localhost:5000/demo/app"] });
    expect(craneCmd.digest("localhost:5000/demo/app:abc1234").argv).toEqual(["digest", "localhost:5000/demo/app:abc1234"]);
    expect(craneCmd.digest("r/a:1", "linux/arm64/v8").argv).toEqual(["digest", "--platform", "linux/arm64/v8", "r/a:1"]);
    expect(craneCmd.config("r/a:1", "linux/amd64").argv).toEqual(["config", "--platform", "linux/amd64", "r/a:1"]);
    expect(craneCmd.config("r/a:1").argv).toEqual(["config", "r/a:1"]);
    expect(craneCmd.manifest("r/a:1").argv).toEqual(["manifest", "r/a:1"]);
    expect(craneCmd.authToken("ghcr.io/org/app").argv).toEqual(["auth", "token", "ghcr.io/org/app"]);
  });

  it("builds write commands", () => {
    expect(craneCmd.tag("r/a:abc1234", "env-prod").argv).toEqual(["tag", "r/a:abc1234", "env-prod"]);
    expect(craneCmd.delete("r/a@sha256:00").argv).toEqual(["delete", "r/a@sha256:00"]);
    expect(craneCmd.indexAppend(["r/a:amd64", "r/a:arm64"], "r/a:multi").argv).toEqual([
      "index",
      "append",
      "--manifest",
      "r/a:amd64",
      "--manifest",
      "r/a:arm64",
      "--tag",
      "r/a:multi",
    ]);
  });

  it("builds append with and without a base", () => {
    expect(craneCmd.append(["/tmp/one.tar", "/tmp/two.tar"], "r/a:staged").argv).toEqual([
      "append",
      "--new_layer",
      "/tmp/one.tar",
      "--new_layer",
      "/tmp/two.tar",
      "--new_tag",
      "r/a:staged",
    ]);
    expect(craneCmd.append(["/tmp/l.tar"], "r/a:x", "docker.io/library/busybox").argv).toEqual([
      "append",
      "--base",
      "docker.io/library/busybox",
      "--new_layer",
      "/tmp/l.tar",
      "--new_tag",
      "r/a:x",
    ]);
  });

  it("builds mutate with every option in a fixed order", () => {
    const cmd = craneCmd.mutate("r/a:staged", {
      labels: { "org.opencontainers.image.revision": "abc", "org.opencontainers.image.version": "v1.0.0" },
      entrypoint: ["/bin/busybox", "httpd", "-f"],
      env: ["A=1", "B=2"],
      platform: "linux/arm64",
      tag: "r/a:abc1234",
    });
    expect(cmd.argv).toEqual([
      "mutate",
      "r/a:staged",
      "--label",
      labelFlag("org.opencontainers.image.revision", "abc"),
      "--label",
      labelFlag("org.opencontainers.image.version", "v1.0.0"),
      "--entrypoint",
      "/bin/busybox,httpd,-f",
      "--env",
      "A=1",
      "--env",
      "B=2",
      "--set-platform",
      "linux/arm64",
      "--tag",
      "r/a:abc1234",
    ]);
    expect(craneCmd.mutate("r/a:x", {}).argv).toEqual(["mutate", "r/a:x"]);
  });
});

/** Reads one record the way Go's encoding/csv does with its defaults (what pflag's stringToString uses). */
function readCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('extraneous or missing " in quoted-field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ",") throw new Error(`extraneous " in field at ${i}`);
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\n") {
        if (text[i] === '"') throw new Error('bare " in non-quoted-field');
        field += text[i++];
      }
    }
    fields.push(field);
    if (text[i] !== ",") return fields;
    i++;
  }
}

/** What crane ends up with for one --label value: pflag stringToString's Set. */
function decodeLabelFlag(value: string): Record<string, string> {
  const equals = value.split("=").length - 1;
  const pairs = equals === 1 ? [value.replace(/^"+|"+$/g, "")] : readCsvRecord(value);
  return Object.fromEntries(
    pairs.map((p) => {
      const at = p.indexOf("=");
      if (at < 0) throw new Error(`${p} must be formatted as key=value`);
      return [p.slice(0, at), p.slice(at + 1)];
    }),
  );
}

describe("labelFlag", () => {
  it("writes the pair twice as quoted CSV fields", () => {
    expect(labelFlag("a", "b")).toBe('"a=b","a=b"');
    expect(labelFlag("a", 'say "hi"')).toBe('"a=say ""hi""","a=say ""hi"""');
  });

  it.each([
    ["plain", "6350192"],
    ["empty", ""],
    ["quotes", 'fix: "a": b'],
    ["leading and trailing quotes", '"quoted"'],
    ["commas", "one, two,three"],
    ["colons", "feat(api): add /v2: endpoint"],
    ["hash", "#42 close issue # not a comment"],
    ["handlebars", "{{ .Values.image }} and {{{raw}}}"],
    ["equals", "a=b=c == d"],
    ["newline", 'subject line\n\nbody, with "quotes" and = signs'],
    ["everything", '"#{{x}}", a=b: c,\nd'],
  ])("a value with %s survives crane's parsing", (_what, value) => {
    const key = "org.opencontainers.image.description";
    expect(decodeLabelFlag(labelFlag(key, value))).toEqual({ [key]: value });
  });

  it("the decoder really is CSV: a naive key=v1,v2 value would be split apart", () => {
    expect(() => decodeLabelFlag("k=a,b=c,d")).toThrow("must be formatted as key=value");
  });
});

describe("craneError", () => {
  const digestCmd = craneCmd.digest("localhost:5000/a/b:nope");

  it("MANIFEST_UNKNOWN is not-found, bad input (exit 2)", () => {
    const err = craneError(
      digestCmd,
      "Error: fetching manifest localhost:5000/a/b:nope: GET http://localhost:5000/v2/a/b/manifests/nope: MANIFEST_UNKNOWN: Unknown manifest",
    );
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.fault).toBe("not-found");
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.host).toBe("localhost:5000");
    expect(err.message).toBe("localhost:5000/a/b:nope not found in the registry");
    expect(err.detail).toMatch(/^fetching manifest .*MANIFEST_UNKNOWN: Unknown manifest$/);
  });

  it("NAME_UNKNOWN is not-found", () => {
    const err = craneError(
      craneCmd.ls("localhost:5000/no/such"),
      "Error: reading tags for localhost:5000/no/such: GET http://localhost:5000/v2/no/such/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry",
    );
    expect(err.fault).toBe("not-found");
    expect(err.message).toContain("localhost:5000/no/such");
  });

  it.each([
    [
      "UNAUTHORIZED",
      "Error: fetching manifest ghcr.io/org/private:1: GET https://ghcr.io/v2/org/private/manifests/1: UNAUTHORIZED: authentication required",
    ],
    [
      "DENIED",
      "Error: GET https://ghcr.io/token?scope=repository%3Aorg%2Fprivate%3Apull: DENIED: requested access to the resource is denied",
    ],
  ])("%s is an auth fault with a crane auth login hint", (_code, stderr) => {
    const err = craneError(craneCmd.digest("ghcr.io/org/private:1"), stderr);
    expect(err.fault).toBe("auth");
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.message).toBe("not authorised for ghcr.io/org/private:1 at ghcr.io");
    expect(err.hint).toContain("crane auth login ghcr.io");
  });

  it("TOOMANYREQUESTS is rate-limited", () => {
    const err = craneError(
      craneCmd.manifest("docker.io/library/busybox:latest"),
      "Error: fetching manifest docker.io/library/busybox:latest: GET https://index.docker.io/v2/library/busybox/manifests/latest: TOOMANYREQUESTS: You have reached your pull rate limit.",
    );
    expect(err.fault).toBe("rate-limited");
    expect(err.exitCode).toBe(EXIT.failed);
    expect(err.message).toBe("rate limited by docker.io");
  });

  it("connection refused is unreachable and names the host", () => {
    const err = craneError(
      craneCmd.ls("127.0.0.1:5998/a/b"),
      'Error: reading tags for 127.0.0.1:5998/a/b: Get "http://127.0.0.1:5998/v2/": dial tcp 127.0.0.1:5998: connect: connection refused',
    );
    expect(err.fault).toBe("unreachable");
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.message).toBe("registry 127.0.0.1:5998 unreachable");
    expect(err.hint).toContain("127.0.0.1:5998");
  });

  it("UNSUPPORTED names the operation", () => {
    const err = craneError(
      craneCmd.delete("localhost:5000/a/b@sha256:00"),
      "Error: DELETE http://localhost:5000/v2/a/b/manifests/sha256:00: UNSUPPORTED: The operation is unsupported.",
    );
    expect(err.fault).toBe("unsupported");
    expect(err.exitCode).toBe(EXIT.failed);
    expect(err.message).toBe("localhost:5000 does not support: crane delete");
    expect(err.hint).toContain("storage.delete.enabled");
  });

  it("anything else keeps what crane said, without its Error: prefix", () => {
    const err = craneError(craneCmd.ls("localhost:5000/a/b"), "some warning\nError: unexpected end of JSON input");
    expect(err.fault).toBe("other");
    expect(err.exitCode).toBe(EXIT.failed);
    expect(err.message).toBe("crane ls localhost:5000/a/b: unexpected end of JSON input");
  });

  it("a --platform value is not mistaken for the image", () => {
    const err = craneError(craneCmd.digest("localhost:5000/a/b:nope", "linux/amd64"), "Error: MANIFEST_UNKNOWN: Unknown manifest");
    expect(err.message).toBe("localhost:5000/a/b:nope not found in the registry");
    expect(err.host).toBe("localhost:5000");
  });

  it("a layer path is not mistaken for the image", () => {
    const err = craneError(
      craneCmd.append(["/tmp/layer.tar"], "127.0.0.1:5998/a/b:staged"),
      'Error: Get "http://127.0.0.1:5998/v2/": dial tcp 127.0.0.1:5998: connect: connection refused',
    );
    expect(err.message).toBe("registry 127.0.0.1:5998 unreachable");
  });

  it("hostOf takes the registry part of a ref", () => {
    expect(hostOf("localhost:5000/a/b:c")).toBe("localhost:5000");
    expect(hostOf("ghcr.io")).toBe("ghcr.io");
  });
});
