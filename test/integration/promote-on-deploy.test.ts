// promote_on_deploy: env-<ENV> follows what is live, and moves back on a rollback (seed 002, issue 5).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/envfollow/app`;
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second"] });
  a = await makeApp(repo, { appExtra: { promote_on_deploy: "prod" } });
});
afterAll(async () => a.cleanup());

describe("promote_on_deploy", () => {
  it("moves env-prod to each deployed digest and back on rollback", async () => {
    const [dA, dB] = [await digestOf(`${repo}:${s[0]!.tag}`), await digestOf(`${repo}:${s[1]!.tag}`)];
    const first = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).env_tag).toMatchObject({ env: "prod", from: null, to: dA, reason: `deploy ${s[0]!.tag}` });
    expect(await digestOf(`${repo}:env-prod`)).toBe(dA);

    const second = await a.run(["deploy", s[1]!.tag]);
    expect(second.stdout).toContain(`env-prod -> ${dB.slice(0, 19)} (${s[1]!.tag})`);
    expect(await digestOf(`${repo}:env-prod`)).toBe(dB);

    expect((await a.run(["rollback", "2"])).code).toBe(0);
    expect(await digestOf(`${repo}:env-prod`)).toBe(dA);
    expect((await a.run(["verify-promotion", "hello", "prod", s[0]!.tag])).code).toBe(0);
    expect((await a.run(["verify-promotion", "hello", "prod", s[1]!.tag])).code).toBe(1);
  });
});
