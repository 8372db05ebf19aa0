import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkKnownEnv, checkOrder, envTag, previousEnv, type OrderInput } from "../../../src/promote/order.js";
import { appendPromotion, promotionsFile, readPromotions, type PromotionRecord } from "../../../src/promote/record.js";
import { retagCommand } from "../../../src/promote/env-tag.js";

const ENVS = ["dev", "staging", "prod"];
const D = (c: string) => `sha256:${c.repeat(64)}`;
const order = (over: Partial<OrderInput>): OrderInput => ({
  environments: ENVS,
  env: "prod",
  tag: "abc1234",
  digest: D("a"),
  previousDigest: D("a"),
  force: false,
  command: (e) => `pinroll promote app abc1234 ${e}`,
  ...over,
});

describe("promotion order", () => {
  it("knows the environment before each one", () => {
    expect(envTag("prod")).toBe("env-prod");
    expect([previousEnv(ENVS, "dev"), previousEnv(ENVS, "staging"), previousEnv(ENVS, "prod")]).toEqual([null, "dev", "staging"]);
    expect(previousEnv(undefined, "prod")).toBeNull();
    expect(previousEnv(ENVS, "qa")).toBeNull();
  });

  it("lets the first environment and unordered apps through", () => {
    expect(checkOrder(order({ env: "dev", previousDigest: null }))).toEqual({ ok: true, previous: null, forced: false });
    expect(checkOrder(order({ environments: undefined, previousDigest: null }))).toEqual({ ok: true, previous: null, forced: false });
  });

  it("allows a digest that is already on the previous environment", () => {
    expect(checkOrder(order({}))).toEqual({ ok: true, previous: "staging", forced: false });
  });

  it("refuses a skipped environment, saying what to do", () => {
    const r = checkOrder(order({ previousDigest: null }));
    expect(r).toEqual({
      ok: false,
      reason: "abc1234 is not on env-staging (env-staging does not exist yet): prod comes after staging",
      fix: "promote it to staging first: pinroll promote app abc1234 staging; --force skips the order",
    });
  });

  it("refuses when the previous environment holds another digest, naming it", () => {
    const r = checkOrder(order({ previousDigest: D("b") }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(`abc1234 is not on env-staging (env-staging is ${D("b").slice(0, 19)}): prod comes after staging`);
  });

  it("--force skips the order and says it did", () => {
    expect(checkOrder(order({ previousDigest: D("b"), force: true }))).toEqual({ ok: true, previous: "staging", forced: true });
  });

  it("refuses an environment outside the order even with --force", () => {
    const r = checkOrder(order({ env: "qa", force: true }));
    expect(r).toMatchObject({ ok: false, reason: 'environment "qa" is not in the promotion order (dev -> staging -> prod)' });
    expect(checkKnownEnv(undefined, "qa").ok).toBe(true);
  });
});

describe("promotion records", () => {
  const rec = (env: string): PromotionRecord => ({
    at: "2026-01-30T22:30:00.000Z",
    by: "ops@laptop",
    app: "app",
    image: "r/app",
    env,
    tag: "abc1234",
    from: null,
    to: D("a"),
    reason: "promote",
  });

  it("appends one JSON line per move and reads them back oldest first, skipping a torn line", () => {
    const app = { name: "app", stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-promote-")) };
    expect(readPromotions(app)).toEqual([]);
    appendPromotion(app, rec("dev"));
    appendPromotion(app, rec("staging"));
    fs.appendFileSync(promotionsFile(app), '{"at":"2026-');
    expect(promotionsFile(app)).toBe(path.join(app.stateDir, "promotions", "app.jsonl"));
    expect(readPromotions(app).map((r) => r.env)).toEqual(["dev", "staging"]);
  });

  it("retags by digest, so the tag moves onto exactly the checked image", () => {
    expect(retagCommand("r/app", D("a"), "prod").argv).toEqual(["tag", `r/app@${D("a")}`, "env-prod"]);
  });
});
