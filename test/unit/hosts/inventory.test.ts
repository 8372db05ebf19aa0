import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { EXIT, UsageError } from "../../../src/errors.js";
import { hostsFor, loadInventory } from "../../../src/hosts/inventory.js";

const inventory = YAML.parse(`
all:
  vars: { level: all, from_all: 1, deploy_dir: /opt/app }
  hosts:
    bastion:
  children:
    web:
      vars: { level: web, from_web: 1 }
      hosts:
        web1:
      children:
        web_eu:
          vars: { level: web_eu }
          hosts:
            eu1: { level: host, ansible_host: 10.0.0.11 }
            eu2:
    db:
      hosts:
        db1: { ansible_host: 10.0.0.21 }
`);

const names = (pattern: string) => hostsFor(inventory, pattern).map((h) => h.name);
const varsOf = (pattern: string, host: string) => hostsFor(inventory, pattern).find((h) => h.name === host)?.vars;

describe("hostsFor: which hosts", () => {
  it("a group includes the hosts of its children", () => {
    expect(names("web")).toEqual(["web1", "eu1", "eu2"]);
    expect(names("web_eu")).toEqual(["eu1", "eu2"]);
  });

  it("all is every host", () => {
    expect(names("all")).toEqual(["bastion", "web1", "eu1", "eu2", "db1"]);
  });

  it("a:b and a,b are unions, without duplicates", () => {
    expect(names("web_eu:db")).toEqual(["eu1", "eu2", "db1"]);
    expect(names("db,web_eu")).toEqual(["db1", "eu1", "eu2"]);
    expect(names("web:web_eu")).toEqual(["web1", "eu1", "eu2"]);
  });

  it("a host name works as a pattern", () => {
    expect(names("db1:eu2")).toEqual(["db1", "eu2"]);
  });

  it("an unknown group is bad usage naming the group and the file", () => {
    let err: unknown;
    try {
      hostsFor(inventory, "web:cache", "ansible/inventory/prod.yml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ message: 'no group or host "cache" in ansible/inventory/prod.yml', exitCode: EXIT.usage });
  });

  it("a group with no hosts is bad usage too", () => {
    expect(() => hostsFor({ all: { children: { empty: null } } }, "empty")).toThrow('"empty" matches no hosts');
  });
});

describe("hostsFor: vars, all < parent < child < host", () => {
  it("the host's own vars win", () => {
    expect(varsOf("web", "eu1")).toEqual({
      level: "host",
      from_all: 1,
      from_web: 1,
      deploy_dir: "/opt/app",
      ansible_host: "10.0.0.11",
    });
  });

  it("a child group wins over its parent, the parent over all", () => {
    expect(varsOf("web", "eu2")).toMatchObject({ level: "web_eu", from_web: 1, from_all: 1 });
    expect(varsOf("web", "web1")).toEqual({ level: "web", from_web: 1, from_all: 1, deploy_dir: "/opt/app" });
    expect(varsOf("all", "bastion")).toEqual({ level: "all", from_all: 1, deploy_dir: "/opt/app" });
  });

  it("a host gets the same vars whichever pattern found it", () => {
    expect(varsOf("eu1", "eu1")).toEqual(varsOf("web", "eu1"));
    expect(varsOf("db", "db1")).toEqual({ level: "all", from_all: 1, deploy_dir: "/opt/app", ansible_host: "10.0.0.21" });
  });
});

describe("hostsFor: groups named in several places", () => {
  // Ansible's own example: prod lists groups defined elsewhere as its children.
  const layered = YAML.parse(`
all:
  children:
    web:
      hosts: { w1: , w2: { deploy_dir: /srv/w2 } }
      vars: { role: web }
    db:
      hosts: { d1: }
    prod:
      children:
        web:
        db:
      vars: { env: prod, role: any }
`);

  it("a child listed without a body is the group defined elsewhere", () => {
    expect(hostsFor(layered, "prod").map((h) => h.name)).toEqual(["w1", "w2", "d1"]);
  });

  it("the deeper group's vars win, and the host's over both", () => {
    const hosts = Object.fromEntries(hostsFor(layered, "prod").map((h) => [h.name, h.vars]));
    expect(hosts).toEqual({
      w1: { env: "prod", role: "web" },
      w2: { env: "prod", role: "web", deploy_dir: "/srv/w2" },
      d1: { env: "prod", role: "any" },
    });
  });
});

describe("loadInventory", () => {
  it("reads a YAML inventory file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-inventory-"));
    try {
      const file = path.join(dir, "hosts.yml");
      fs.writeFileSync(file, "all:\n  children:\n    web:\n      hosts:\n        localhost:\n          ansible_connection: local\n");
      expect(hostsFor(loadInventory(file), "web", file)).toEqual([{ name: "localhost", vars: { ansible_connection: "local" } }]);
      fs.writeFileSync(file, "[web]\nlocalhost ansible_connection=local\n: [\n");
      expect(() => loadInventory(file)).toThrow("is not valid YAML (pinroll reads YAML inventories)");
      expect(() => loadInventory(path.join(dir, "nope.yml"))).toThrow(/inventory .*nope\.yml not found/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
