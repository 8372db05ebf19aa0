// init's choices on the three public compose files in test/fixtures/init, and never overwriting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { init } from "../../../src/commands/init.js";
import { appNameFrom } from "../../../src/init/render.js";

const FIXTURES = path.resolve(__dirname, "../../fixtures/init");

function copy(name: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-init-")), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const roles = (r: ReturnType<typeof init>) => Object.fromEntries(r.services.map((s) => [s.service, s.role]));

describe("pinroll init", () => {
  it("voting app: the project's own images pinned, redis and postgres left to drift", () => {
    const dir = copy("voting-app");
    const r = init(undefined, { cwd: dir });
    expect(r.app).toBe("voting-app");
    expect(roles(r)).toEqual({ vote: "pinned", result: "pinned", worker: "pinned", redis: "stateful", db: "stateful" });
    expect(r.wrote).toEqual(["pinroll.yml", "ansible/inventory.yml", "Taskfile.yml"]);
    const text = fs.readFileSync(path.join(dir, "pinroll.yml"), "utf8");
    const config = parseConfig(text, path.join(dir, "pinroll.yml"));
    expect(config.apps["voting-app"]!.pin).toEqual([
      "docker.io/dockersamples/examplevotingapp_vote",
      "docker.io/dockersamples/examplevotingapp_result",
      "docker.io/dockersamples/examplevotingapp_worker",
    ]);
    expect(text).toMatch(/# +left to drift: db \(postgres:15-alpine\): stateful/);
    expect(r.edit).toHaveLength(3);
    const inventory = fs.readFileSync(path.join(dir, "ansible/inventory.yml"), "utf8");
    expect(YAML.parse(inventory)).toEqual({ all: { children: { "voting-app": { hosts: null } } } });
    expect(inventory).toContain("#   ansible_host:");
    expect(YAML.parse(fs.readFileSync(path.join(dir, "Taskfile.yml"), "utf8")).includes.pinroll).toMatch(/\/Taskfile\.yml$/);
  });

  it("build-only services are to be pinned once they have an image; mongo drifts", () => {
    const dir = copy("react-express-mongodb");
    const r = init(undefined, { cwd: dir });
    expect(roles(r)).toEqual({ frontend: "build-only", backend: "build-only", mongo: "stateful" });
    const text = fs.readFileSync(path.join(dir, "pinroll.yml"), "utf8");
    expect(parseConfig(text, path.join(dir, "pinroll.yml")).apps["react-express-mongodb"]!.pin).toEqual([
      "localhost:5000/react-express-mongodb/*",
    ]);
    expect(text).toContain("give it image: localhost:5000/react-express-mongodb/frontend");
    expect(r.edit[1]).toContain("give frontend, backend an image: in compose.yaml");
  });

  it("a third-party image drifts with the way to pin it; an existing Taskfile gets a note, nothing is overwritten", () => {
    const dir = copy("nginx-golang-postgres");
    fs.writeFileSync(path.join(dir, "Taskfile.yml"), "version: '3'\n");
    const r = init("compose.yaml", { cwd: dir });
    expect(roles(r)).toEqual({ backend: "build-only", db: "stateful", proxy: "third-party" });
    expect(r.wrote).toEqual(["pinroll.yml", "ansible/inventory.yml"]);
    expect(r.notes[0]).toMatch(/Taskfile.yml exists: .*\n {2}pinroll: .*Taskfile\.yml/);
    expect(fs.readFileSync(path.join(dir, "Taskfile.yml"), "utf8")).toBe("version: '3'\n");
    fs.writeFileSync(path.join(dir, "pinroll.yml"), "mine\n");
    const again = init(undefined, { cwd: dir });
    expect(again.wrote).toEqual([]);
    expect(again.kept).toEqual(["pinroll.yml", "ansible/inventory.yml"]);
    expect(fs.readFileSync(path.join(dir, "pinroll.yml"), "utf8")).toBe("mine\n");
  });

  it("names the app after the directory as pinroll.yml allows", () => {
    expect(appNameFrom("My App_2")).toBe("my-app_2");
    expect(appNameFrom("--x")).toBe("x");
  });
});
