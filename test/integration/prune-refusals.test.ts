// prune refusing what it cannot do safely: a registry with deletes disabled (reported once, with the setting), and
// hosts it cannot read (nothing pruned: what runs there is unknown).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { pushImage } from "../support/images.js";
import { makeProject } from "../support/project.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";

const DAY = 86_400_000;

describe("prune refuses what it cannot do safely", () => {
  let registry: TestRegistry;
  let repo: string;
  let tagsBefore: string[];
  const ls = async () => (await runCrane(craneCmd.ls(repo))).split("\n").filter(Boolean);

  // The shared test registry has deletes enabled; this one is started with them off (a registry's default).
  beforeAll(async () => {
    registry = await startRegistry({ deletes: false });
    repo = `${registry.addr}/refuse/app`;
    const created = { "org.opencontainers.image.created": new Date(Date.now() - 30 * DAY).toISOString() };
    for (const t of ["aaaaaaa", "bbbbbbb", "ccccccc"]) await pushImage(`${repo}:${t}`, { labels: created });
    tagsBefore = await ls();
  });
  afterAll(() => registry.stop());

  it("reports a registry that refuses deletes once, with the setting to enable", async () => {
    const p = makeProject({ image: `${repo}:latest` });
    const res = await p.run(["prune", "--yes"]);
    expect(res.code).toBe(1);
    const said = res.stdout.split("\n").filter((l) => l.includes("UNSUPPORTED"));
    expect(said).toEqual([
      `✗ stopped: ${registry.addr} refuses deletes (UNSUPPORTED): set storage.delete.enabled: true in its config (or REGISTRY_STORAGE_DELETE_ENABLED=true) and restart it`,
    ]);
    expect(res.stdout).not.toContain("✓ deleted");
    const json = await p.run(["prune", "--yes", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      deleted: [],
      failed: [],
      dry_run: false,
      stopped: said[0]!.slice("✗ stopped: ".length),
    });
    expect(await ls()).toEqual(tagsBefore);
  });

  it("refuses to prune when a host cannot be read: what runs there is unknown", async () => {
    const p = makeProject({ image: `${repo}:latest` });
    const hosts = {
      gone: { ansible_host: "127.0.0.1", ansible_port: 1, deploy_dir: "/opt/app" },
      localhost: { ansible_connection: "local" },
    };
    fs.writeFileSync(path.join(p.dir, "inventory.yml"), JSON.stringify({ all: { children: { web: { hosts } } } }));
    fs.mkdirSync(p.deployDir, { recursive: true });
    fs.writeFileSync(path.join(p.deployDir, "deploy-info.yml"), "app: [unclosed\n");
    for (const args of [["prune"], ["prune", "--yes", "--json"]]) {
      const res = await p.run(args);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe("");
      expect(res.stderr).toMatch(/^error: cannot know what is live, so nothing is pruned: host gone unreachable: .*Connection refused; /);
      expect(res.stderr).toContain(`localhost:${p.deployDir}/deploy-info.yml is corrupted`);
      expect(res.stderr).toMatch(/\(fix or reach the host \(or take it out of the inventory\), then prune again\)\n$/);
    }
    expect(await ls()).toEqual(tagsBefore);
  });
});
