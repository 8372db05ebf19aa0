// Signed releases, the pure parts (issue 12): cosign argv, its verify failures, signature tags, the verify key in
// pinroll.yml, the SIGNED column, and the refusal a missing key file makes before cosign ever runs.
import { describe, expect, it } from "vitest";
import { resolveApp } from "../../../src/config/app.js";
import { parseConfig } from "../../../src/config/load.js";
import type { Overview, OverviewTag } from "../../../src/commands/overview.js";
import { ConfigError, EXIT, UsageError } from "../../../src/errors.js";
import { checkedRef } from "../../../src/pin/refs.js";
import { isSignatureTag, parseSignatureTag, signatureTagOf, splitSignatureTags } from "../../../src/registry/signature-tags.js";
import { classifyVerifyFailure, cosignCmd } from "../../../src/tools/cosign.js";
import { formatCommand } from "../../../src/tools/run.js";
import { renderOverview } from "../../../src/ui/overview.js";
import { verifySubjects } from "../../../src/verify/cosign.js";

const D = `sha256:${"ab".repeat(32)}`;
const SIG = `sha256-${"ab".repeat(32)}.sig`;

describe("cosign argv", () => {
  it("verifies keyed and offline, and signs without the transparency log", () => {
    expect(formatCommand(cosignCmd.verify("keys/cosign.pub", `localhost:5000/app@${D}`))).toBe(
      `cosign verify --key keys/cosign.pub --insecure-ignore-tlog=true localhost:5000/app@${D}`,
    );
    expect(formatCommand(cosignCmd.sign("env://COSIGN_PRIVATE_KEY", `localhost:5000/app@${D}`))).toBe(
      `cosign sign --key env://COSIGN_PRIVATE_KEY --tlog-upload=false --yes localhost:5000/app@${D}`,
    );
    expect(cosignCmd.generateKeyPair("/tmp/k")).toEqual({
      tool: "cosign",
      argv: ["generate-key-pair"],
      cwd: "/tmp/k",
      env: { COSIGN_PASSWORD: "" },
    });
  });

  it("tells a missing signature from a bad one, and neither from other faults", () => {
    expect(classifyVerifyFailure("Error: no signatures found\nmain.go:74: error during command execution: no signatures found")).toBe(
      "unsigned",
    );
    expect(classifyVerifyFailure("Error: no matching signatures: invalid signature when validating ASN.1 encoded signature")).toBe(
      "bad-signature",
    );
    expect(classifyVerifyFailure("Error: GET http://127.0.0.1:1/v2/: dial tcp 127.0.0.1:1: connect: connection refused")).toBeNull();
  });
});

describe("signature tags", () => {
  it("recognises sha256-<hex>.sig|.att|.sbom and nothing else", () => {
    expect(parseSignatureTag(SIG)).toEqual({ tag: SIG, subject: D, kind: "sig" });
    expect(isSignatureTag(SIG.replace(".sig", ".att"))).toBe(true);
    expect(isSignatureTag(SIG.replace(".sig", ".sbom"))).toBe(true);
    for (const t of ["6350192", "latest", "sha256-abc.sig", `${SIG}x`, SIG.replace(".sig", ".txt"), `sha512-${"ab".repeat(32)}.sig`])
      expect(isSignatureTag(t), t).toBe(false);
    expect(signatureTagOf(D)).toBe(SIG);
  });

  it("splits a listing into image tags and signatures by image digest", () => {
    const att = SIG.replace(".sig", ".att");
    const { images, signatures } = splitSignatureTags(["6350192", SIG, "latest", att]);
    expect(images).toEqual(["6350192", "latest"]);
    expect(signatures.get(D)?.map((s) => s.kind)).toEqual(["sig", "att"]);
  });

  it("pin skips a reference to a signature tag", () => {
    const ref = checkedRef({ line: 3, ref: `localhost:5000/app:${SIG}`, kind: "compose-image" }, { start: 0, end: 0 });
    expect(ref.skip).toMatch(/cosign signature tag/);
    expect(ref.slot).toBeUndefined();
  });
});

describe("apps.<app>.verify", () => {
  const config = (key: string) =>
    `apps:\n  web:\n    compose: c.yml\n    hosts: web\n    deploy_dir: /opt/web\n    pin: [a/b]\n    verify:\n      cosign:\n        key: ${JSON.stringify(key)}\n`;

  it("resolves a key path against pinroll.yml and passes env://VAR through", () => {
    expect(resolveApp(parseConfig(config("keys/cosign.pub"), "/srv/p/pinroll.yml")).verifyKey).toBe("/srv/p/keys/cosign.pub");
    expect(resolveApp(parseConfig(config("env://COSIGN_PUBLIC_KEY"), "/srv/p/pinroll.yml")).verifyKey).toBe("env://COSIGN_PUBLIC_KEY");
    expect(resolveApp(parseConfig(config("x").replace(/ {4}verify:[\s\S]*/, ""), "/srv/p/pinroll.yml")).verifyKey).toBeUndefined();
  });

  it("refuses env:// without a variable name, with the dotted path", () => {
    expect(() => parseConfig(config("env://not a var"), "/srv/p/pinroll.yml")).toThrow(ConfigError);
    try {
      parseConfig(config("env://"), "/srv/p/pinroll.yml");
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(["apps.web.verify.cosign.key: env://VAR names an environment variable"]);
    }
  });

  it("refuses a key that cannot be read before running cosign (exit 2)", async () => {
    const app = resolveApp(parseConfig(config("missing/cosign.pub"), "/nonexistent/pinroll.yml"));
    const err = await verifySubjects(app, [{ service: "web", image: "localhost:5000/a", digest: D }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(EXIT.usage);
    expect((err as UsageError).message).toBe("verify key /nonexistent/missing/cosign.pub not found");
    const envApp = { ...app, verifyKey: "env://PINROLL_TEST_UNSET_KEY" };
    await expect(verifySubjects(envApp, [{ service: "web", image: "localhost:5000/a", digest: D }])).rejects.toThrow(
      "verify key env://PINROLL_TEST_UNSET_KEY: $PINROLL_TEST_UNSET_KEY is not set",
    );
  });

  it("checks nothing for an app without a key", async () => {
    const app = resolveApp(parseConfig(config("x").replace(/ {4}verify:[\s\S]*/, ""), "/srv/p/pinroll.yml"));
    expect(await verifySubjects(app, [{ service: "web", image: "localhost:5000/a", digest: D }])).toEqual({
      key: null,
      verified: 0,
      cached: 0,
      unsigned: [],
    });
  });
});

describe("the SIGNED column", () => {
  const row = (tag: string, signed: boolean | null): OverviewTag => ({
    tag,
    digest: D,
    created: "2024-05-01T10:00:00Z",
    description: `commit ${tag}`,
    revision: "",
    deployed: false,
    immutable: true,
    points_to: null,
    signed,
  });
  const overview = (tags: OverviewTag[]): Overview => ({
    app: "app",
    image: "localhost:5000/app",
    deployed_digest: null,
    tags,
    hosts: [],
    warnings: [],
  });

  it("shows ✓ and ✗ when the app has a key, and no column when it has none", () => {
    const withKey = renderOverview(overview([row("aaaaaaa", true), row("bbbbbbb", false)])).split("\n");
    expect(withKey[2]).toMatch(/^TAG\s+CREATED\s+SIGNED\s+DESCRIPTION$/);
    expect(withKey[4]).toMatch(/^ {2}aaaaaaa\s+2024-05-01 \d\d:00\s+✓\s+commit aaaaaaa$/);
    expect(withKey[5]).toMatch(/^ {2}bbbbbbb\s+2024-05-01 \d\d:00\s+✗\s+commit bbbbbbb$/);
    expect(renderOverview(overview([row("aaaaaaa", null)]))).not.toContain("SIGNED");
  });
});
