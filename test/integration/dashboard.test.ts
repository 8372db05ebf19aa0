// `pinroll dashboard` end to end (issue 13): real deploys to three local hosts (own deploy dirs, compose projects,
// ports) from the test registry, one host left behind; the page read in Debian's chromium from --out and --serve.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { toolEnv } from "../../src/tools/run.js";
import { makeApp, type AppProject } from "../support/app.js";
import { launchBrowser, pngStats } from "../support/browser.js";
import { digestOf } from "../support/images.js";
import { CLI, type HostSpec } from "../support/project.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/dashboard/app`;
const XSS = "<script>alert(1)</script>";
const HOSTS = ["web1", "web2", "web3"];
let s: SampleImage[];
let a: AppProject;
let browser: Browser;
let specs: HostSpec[];

const writeInventory = (hosts: HostSpec[]) =>
  fs.writeFileSync(
    path.join(a.dir, "inventory.yml"),
    YAML.stringify({ all: { children: { web: { hosts: Object.fromEntries(hosts.map((h) => [h.name, h.vars ?? {}])) } } } }),
  );

beforeAll(async () => {
  [s, browser] = await Promise.all([publishSample({ image: repo, subjects: ["release A", XSS] }), launchBrowser()]);
  const ports = await Promise.all(HOSTS.map(() => freePort()));
  a = await makeApp(repo, {
    hosts: (p) =>
      (specs = HOSTS.map((name, i) => ({
        name,
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: path.join(p.dir, "hosts", name),
          compose_project: `pinroll-dash-${process.pid}-${name}`,
          app_env: { APP_PORT: String(ports[i]) },
          healthcheck_url: `http://127.0.0.1:${ports[i]}/`,
        },
      }))),
  });
  expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
  expect((await a.run(["deploy", s[1]!.tag])).code).toBe(0);
  expect((await a.run(["rollback", "2"])).code).toBe(0);
  // web3 is out of the inventory for one deploy: it stays on release A while web1 and web2 move to the XSS one.
  writeInventory(specs.slice(0, 2));
  expect((await a.run(["deploy", s[1]!.tag])).code).toBe(0);
  writeInventory(specs);
  await runCrane(craneCmd.tag(`${repo}:${s[0]!.tag}`, "env-prod"));
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await a?.cleanup();
});

interface Json {
  apps: {
    app: string;
    hosts: { host: string; digest: string; disagrees: boolean; release: { services: { web: { tag: string; description: string } } } }[];
    env_tags: { tag: string; digest: string; live: boolean; hosts: string[] }[];
    history: { kind: string; partial: boolean; hosts: string[]; rollback_of?: { tags: string }; services: { web: { tag: string } } }[];
    tags: { tag: string; deployed: boolean; description: string }[];
  }[];
}

/** What the page shows, read from its DOM (textContent: what a reader sees, not markup). */
async function readPage(page: Page) {
  return page.evaluate(() => ({
    hosts: [...document.querySelectorAll("article.host")].map((h) => ({
      host: h.getAttribute("data-host"),
      tag: h.querySelector(".live-tag")?.textContent,
      subject: h.querySelector(".subject")?.textContent,
      drift: h.querySelector(".drift-mark") !== null,
    })),
    timeline: [...document.querySelectorAll("ol.timeline li")].map((li) => ({
      at: li.getAttribute("data-at"),
      kind: li.querySelector(".badge")?.textContent?.trim(),
      partial: li.querySelector(".partial-mark") !== null,
    })),
    env: [...document.querySelectorAll("table.env-tags tr[data-tag]")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim()).join(" | "),
    ),
    live: [...document.querySelectorAll("table.tags tr.live")].map((tr) => tr.getAttribute("data-tag")),
    scripts: document.querySelectorAll("script").length,
  }));
}

async function checkPage(page: Page, shot: string) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const seen = await readPage(page);
  const [tA, tB] = [s[0]!.tag, s[1]!.tag];
  expect(seen.hosts).toEqual([
    { host: "web1", tag: tB, subject: XSS, drift: false },
    { host: "web2", tag: tB, subject: XSS, drift: false },
    { host: "web3", tag: tA, subject: "release A", drift: true },
  ]);
  expect(seen.scripts).toBe(0);
  expect(dialogs).toEqual([]);
  expect(seen.timeline.map((e) => [e.kind, e.partial])).toEqual([
    ["deploy", true],
    [`rollback from ${tB}`, false],
    ["deploy", false],
    ["deploy", false],
  ]);
  const times = seen.timeline.map((e) => Date.parse(e.at ?? ""));
  expect([...times].sort((x, y) => y - x)).toEqual(times);
  expect(seen.env).toEqual([expect.stringMatching(new RegExp(`^env-prod \\| [0-9a-f]{12} \\| ${tA} \\| live on web3$`))]);
  expect(seen.live).toEqual([tB, tA, "latest"]); // env-* tags have their own table
  await page.setViewport({ width: 1200, height: 900 });
  await page.screenshot({ path: shot });
  const png = pngStats(shot);
  expect([png.width, png.height]).toEqual([1200, 900]);
  expect(png.colours).toBeGreaterThan(8);
}

describe("dashboard over three deployed hosts", () => {
  it("--json gives the page's data: hosts, env-* tags, history, tags", async () => {
    const res = await a.run(["dashboard", "--json"]);
    expect(res.code).toBe(0);
    const d = (JSON.parse(res.stdout) as Json).apps[0]!;
    const [dA, dB] = [await digestOf(`${repo}:${s[0]!.tag}`), await digestOf(`${repo}:${s[1]!.tag}`)];
    expect(d.app).toBe("hello");
    expect(d.hosts.map((h) => [h.host, h.digest, h.disagrees, h.release.services.web.tag])).toEqual([
      ["web1", dB, false, s[1]!.tag],
      ["web2", dB, false, s[1]!.tag],
      ["web3", dA, true, s[0]!.tag],
    ]);
    expect(d.hosts[0]!.release.services.web.description).toBe(XSS);
    expect(d.env_tags).toEqual([{ tag: "env-prod", digest: dA, live: true, hosts: ["web3"], points_to: s[0]!.tag }]);
    expect(d.history.map((e) => [e.kind, e.services.web.tag, e.hosts, e.partial])).toEqual([
      ["deploy", s[1]!.tag, ["web1", "web2"], true],
      ["rollback", s[0]!.tag, HOSTS, false],
      ["deploy", s[1]!.tag, HOSTS, false],
      ["deploy", s[0]!.tag, HOSTS, false],
    ]);
    expect(d.history[1]!.rollback_of?.tags).toBe(s[1]!.tag);
    expect(d.tags.filter((t) => t.deployed).map((t) => t.tag)).toEqual([s[1]!.tag, s[0]!.tag, "env-prod", "latest"]);
    expect(res.stderr).toMatch(/warning: hello: hosts disagree: web1 on [0-9a-f]{12}, web2 on [0-9a-f]{12}, web3 on/);
  });

  it("--check-updates adds update --check's available tag, shown as pending on the page", async () => {
    const res = await a.run(["dashboard", "--json", "--check-updates"]);
    expect(res.code).toBe(0);
    const pending = (JSON.parse(res.stdout) as { apps: { pending: unknown[] }[] }).apps[0]!.pending;
    expect(pending).toEqual([
      expect.objectContaining({
        service: "web",
        current: expect.objectContaining({ tag: s[1]!.tag }),
        available: expect.objectContaining({ tag: s[1]!.tag }),
        changed: false,
      }),
    ]);
    expect((JSON.parse((await a.run(["dashboard", "--json"])).stdout) as { apps: { pending: unknown }[] }).apps[0]!.pending).toBeNull();
    const page = await a.run(["dashboard", "--check-updates"]);
    expect(page.stdout).toMatch(new RegExp(`<h3>Pending updates</h3>[\\s\\S]*<td>web</td><td class="mono">${s[1]!.tag} [0-9a-f]{12}</td>`));
  });

  it("--out writes the page atomically; chromium shows it with the drift and the <script> subject as text", async () => {
    const out = path.join(a.dir, "site", "dashboard.html");
    const res = await a.run(["dashboard", "--out", out]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`Wrote ${out}\n`);
    expect(fs.readdirSync(path.dirname(out))).toEqual(["dashboard.html"]); // no temp file left behind
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${out}`);
    expect(requests).toEqual([`file://${out}`]); // self-contained: no stylesheet, font, image or script fetched
    await checkPage(page, path.join(a.dir, "dashboard-out.png"));
    await page.close();
  });

  it("--serve serves it read-only on 127.0.0.1 and rebuilds on reload at most every 5 s", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--", CLI, "dashboard", "--serve", "--port", String(port)], {
      cwd: a.dir,
      env: { ...toolEnv(), PINROLL_CONFIG: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await servingUrl(child);
      expect(url).toBe(`http://127.0.0.1:${port}/`);
      const page = await browser.newPage();
      await page.goto(url);
      await checkPage(page, path.join(a.dir, "dashboard-serve.png"));
      const stamp = () => page.$eval("#generated", (e) => e.getAttribute("title"));
      const first = await stamp();
      await page.reload();
      expect(await stamp()).toBe(first); // within 5 s: the same build
      for (const method of ["POST", "PUT", "DELETE"]) {
        const r = await fetch(url, { method });
        expect([method, r.status, r.headers.get("allow")]).toEqual([method, 405, "GET, HEAD"]);
      }
      const head = await fetch(url, { method: "HEAD" });
      expect([head.status, await head.text()]).toEqual([200, ""]);
      expect(head.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
      expect((await fetch(`${url}etc/passwd`)).status).toBe(404);
      await new Promise((r) => setTimeout(r, 5200));
      await page.reload();
      expect(Date.parse((await stamp())!)).toBeGreaterThan(Date.parse(first!));
      await page.close();
    } finally {
      child.kill("SIGTERM");
    }
    expect(await new Promise((r) => child.on("close", r))).toBe(0);
  });

  it("refuses bad input with one line and exit 2, writing nothing", async () => {
    const out = path.join(a.dir, "never.html");
    for (const args of [
      ["dashboard", "nope", "--out", out],
      ["dashboard", "--json", "--out", out],
      ["dashboard", "--port", "9"],
    ]) {
      const res = await a.run(args);
      expect([args, res.code]).toEqual([args, 2]);
      expect(res.stderr).toMatch(/^error: [^\n]+\n$/);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});

function servingUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /Serving the dashboard read-only on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => reject(new Error(`dashboard --serve exited ${code}: ${err}`)));
  });
}
