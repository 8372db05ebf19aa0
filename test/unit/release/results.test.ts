// Host outcomes from the callback plugin's JSON lines (issue 8): results as data, faults named, a refusal's holder kept.
import { describe, expect, it } from "vitest";
import { parseResults } from "../../../src/release/results.js";
import { unsafeVarsYaml } from "../../../src/tools/ansible.js";
import { describeHeld, isStale, parseHolder } from "../../../src/lock/holder.js";

const line = (o: object) => JSON.stringify(o);

describe("parseResults", () => {
  it("reads each host's reported result, and names hosts that broke before reporting", () => {
    const jsonl = [
      line({ host: "a", task: "Ship", status: "ok" }),
      line({ host: "a", task: "Report success", status: "ok", result: { host: "a", ok: true, halfdone: "r1 up" } }),
      line({ host: "b", task: "Take the deploy lock", status: "unreachable", msg: "Failed to connect\nmore" }),
      line({ host: "c", task: "Ship", status: "failed", msg: "boom", ignored: false }),
      line({ host: "d", task: "x", status: "failed", msg: "ignored one", ignored: true }),
      line({
        host: "e",
        task: "Report the failure",
        status: "ok",
        result: { host: "e", ok: false, error: "health: not healthy", held: "" },
      }),
    ].join("\n");
    expect(parseResults(jsonl, ["a", "b", "c", "d", "e"], 2)).toEqual([
      { host: "a", ok: true, halfdone: "r1 up" },
      { host: "b", ok: false, error: "unreachable: Failed to connect" },
      { host: "c", ok: false, error: "Ship: boom" },
      { host: "d", ok: false, error: "no result from ansible-playbook (exit 2); run with --verbose" },
      { host: "e", ok: false, error: "health: not healthy" },
    ]);
  });

  it("decodes the live deploy-info an interrupted run reports", () => {
    const live = Buffer.from("app: x\n").toString("base64");
    const jsonl = line({
      host: "a",
      task: "Report what is live",
      status: "ok",
      result: { ok: "True", restore: "RESTORED previous release put back", live },
    });
    expect(parseResults(jsonl, ["a"], 0)).toEqual([
      { host: "a", ok: true, restore: "RESTORED previous release put back", live: "app: x\n" },
    ]);
  });
});

describe("unsafeVarsYaml", () => {
  it("marks every string value !unsafe, double-quoted, keys and numbers left alone", () => {
    expect(unsafeVarsYaml({ a: "{{ x }}", n: 3, z: null, l: [{ s: "x\ny" }] })).toBe(
      'a: !unsafe "{{ x }}"\nn: 3\nz: null\nl:\n  - s: !unsafe "x\\ny"\n',
    );
  });
});

describe("lock holder", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  it("reads the JSON record and the older text form", () => {
    expect(
      parseHolder(
        '{"user":"bob@ci","controller":"ci","pid":7,"since":"2026-12-02T09:59:00Z","command":"pinroll deploy x 1","message":"","run":"r"}',
      ),
    ).toMatchObject({ user: "bob@ci", pid: 7, run: "r" });
    expect(parseHolder("alice@laptop (pid 42) since 2026-01-30T22:30:00Z\n")).toMatchObject({
      user: "alice@laptop",
      controller: "laptop",
      pid: 42,
    });
  });
  it("is stale past the ttl, or when its process is gone on this controller", () => {
    const h = parseHolder('{"user":"u@c","controller":"c","pid":1,"since":"2026-12-02T09:00:00Z"}')!;
    expect(isStale(h, 30 * 60_000, now, "elsewhere")).toBe(true);
    expect(isStale({ ...h, since: "2026-12-02T09:59:00Z" }, 30 * 60_000, now, "elsewhere")).toBe(false);
    expect(isStale({ ...h, since: "2026-12-02T09:59:00Z", pid: 2 ** 22 + 1 }, 30 * 60_000, now, "c")).toBe(true);
    expect(isStale({ ...h, since: "2026-12-02T09:59:00Z", pid: process.pid }, 30 * 60_000, now, "c")).toBe(false);
  });
  it("names the holder and, when stale, the command that clears it", () => {
    const h = parseHolder("alice@laptop (pid 42) since 2026-01-30T22:30:00Z")!;
    expect(describeHeld("hello", "h1", h, 30 * 60_000, now)).toBe(
      "deploy lock held by alice@laptop (pid 42) since 2026-01-30T22:30:00Z on h1: stale, its holder is gone; clear it with: pinroll lock release hello --force",
    );
  });
});

describe("parseMany (one SSH exec for several host reads)", () => {
  it("splits files, missing files and directories out of the NUL-framed answer", async () => {
    const { parseMany } = await import("../../../src/hosts/files.js");
    const out = ["F1", "a: 1\n", "F0", "", "D1", "x.yml", "x\n", "y.yml", "", "", "D0", "", "F1", ""].join("\0");
    const got = parseMany(out, ["f:/a", "f:/missing", "d:/h", "d:/none", "f:/empty"]);
    expect(got.get("f:/a")).toBe("a: 1\n");
    expect(got.get("f:/missing")).toBeNull();
    expect(got.get("d:/h")).toEqual(
      new Map([
        ["x.yml", "x\n"],
        ["y.yml", ""],
      ]),
    );
    expect(got.get("d:/none")).toBeNull();
    expect(got.get("f:/empty")).toBe("");
  });
});
