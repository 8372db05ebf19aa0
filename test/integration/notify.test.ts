// apps.<app>.notify through real deploys on localhost (issue 11 §3): a local HTTP server on 127.0.0.1 receives the
// POSTs. Body fields, a 500 then a 200, a server that never answers (bounded, one warning, the run unaffected), and
// the URL's userinfo and query never printed, --verbose included.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { httpGet, makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/notify/app`;
let s: SampleImage[];
let a: AppProject;
let server: http.Server;
let port: number;
/** what the server does with each request, in order; "hang" never answers */
let plan: (number | "hang")[] = [];
const got: { url: string; auth: string; body: Record<string, unknown> }[] = [];
const hanging: http.ServerResponse[] = [];
// Short timeouts for the tests only; the defaults (5 s, 3 retries) are checked in test/unit/notify/notify.test.ts.
const fast = { PINROLL_NOTIFY_TIMEOUT_MS: "400", PINROLL_NOTIFY_BACKOFF_MS: "50" };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ url: req.url ?? "", auth: req.headers.authorization ?? "", body: JSON.parse(body) as Record<string, unknown> });
      const what = plan.shift() ?? 200;
      if (what === "hang") hanging.push(res);
      else res.writeHead(what).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  s = await publishSample({ image: repo, subjects: ["notify A", "notify B"] });
  a = await makeApp(repo, { appExtra: { notify: { webhook: `http://bot:s3cret@127.0.0.1:${port}/hook?token=abc123` } } });
}, 180_000);
afterAll(async () => {
  for (const r of hanging) r.destroy();
  server?.close();
  await a?.cleanup();
});

describe("webhook notifications", () => {
  it("POSTs one JSON body per deploy with the fields of DESIGN.md; the URL is redacted in --verbose", async () => {
    got.length = 0;
    const res = await a.run(["deploy", s[0]!.tag, "--verbose"], { env: fast });
    expect(res.code).toBe(0);
    expect(got).toHaveLength(1);
    const { url, auth, body } = got[0]!;
    expect(url).toBe("/hook?token=abc123");
    expect(Buffer.from(auth.replace(/^Basic /, ""), "base64").toString()).toBe("bot:s3cret");
    expect(Object.keys(body).sort()).toEqual(["app", "at", "hosts", "kind", "performer", "release", "result"]);
    expect(body).toMatchObject({
      app: "hello",
      kind: "deploy",
      result: "success",
      hosts: [{ host: "localhost", ok: true }],
      release: { services: { web: { tag: s[0]!.tag, digest: await digestOf(`${repo}:${s[0]!.tag}`) } } },
    });
    expect(body.performer).toMatch(/@/);
    expect(Date.parse(String(body.at))).toBeGreaterThan(Date.now() - 60_000);
    const out = res.stdout + res.stderr;
    expect(out).toContain(`POST http://REDACTED@127.0.0.1:${port}/hook?REDACTED (notify, attempt 1)`);
    expect(out).not.toMatch(/s3cret|abc123/);
  });

  it("retries a 500 and is content with the 200 that follows", async () => {
    got.length = 0;
    plan = [500, 200];
    const res = await a.run(["deploy", s[1]!.tag, "--json"], { env: fast });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("");
    expect(got.map((g) => g.body.release)).toHaveLength(2);
    expect(JSON.parse(res.stdout).notify).toEqual({ url: `http://REDACTED@127.0.0.1:${port}/hook?REDACTED`, ok: true, attempts: 2 });
  });

  it("a server that never answers costs a bounded wait and one warning; the rollback still succeeds", async () => {
    got.length = 0;
    plan = ["hang", "hang", "hang", "hang"];
    const started = Date.now();
    const res = await a.run(["rollback", "2"], { env: fast });
    expect(res.code).toBe(0);
    expect(got).toHaveLength(4); // one try and 3 retries
    expect(got[0]!.body).toMatchObject({ kind: "rollback", result: "success" });
    const warnings = res.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toEqual([
      `warning: could not notify http://REDACTED@127.0.0.1:${port}/hook?REDACTED after 4 tries (no answer in 0.4 s); the run's outcome is unchanged`,
    ]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[0]!.tag}: notify A\n`);
  });
});
