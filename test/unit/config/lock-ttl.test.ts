// lock_ttl (issue 8 §3): top-level default 30m, an app may set its own; a bad value is a config error (exit 2).
import { describe, expect, it } from "vitest";
import { resolveApp } from "../../../src/config/app.js";
import { parseConfig } from "../../../src/config/load.js";
import { ConfigError } from "../../../src/errors.js";

const FILE = "/srv/project/pinroll.yml";
const app = (name: string, extra = "") =>
  `  ${name}:\n    compose: c.yml\n    hosts: ${name}\n    deploy_dir: /opt/${name}\n    pin: ["r/${name}"]\n${extra}`;

describe("lock_ttl", () => {
  it("defaults to 30 minutes", () => {
    expect(resolveApp(parseConfig(`apps:\n${app("web")}`, FILE)).lockTtlMs).toBe(30 * 60_000);
  });

  it("takes the top-level value, and an app's own over it", () => {
    const config = parseConfig(`lock_ttl: 2h\napps:\n${app("web")}${app("api", "    lock_ttl: 45s\n")}`, FILE);
    expect(resolveApp(config, "web").lockTtlMs).toBe(2 * 3_600_000);
    expect(resolveApp(config, "api").lockTtlMs).toBe(45_000);
  });

  it("refuses a value that is not a duration, naming its path", () => {
    let err: unknown;
    try {
      parseConfig(`apps:\n${app("web", "    lock_ttl: soon\n")}`, FILE);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as ConfigError).problems.join("\n")).toMatch(/apps\.web\.lock_ttl: a duration like 30m/);
  });
});
