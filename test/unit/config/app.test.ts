import { describe, expect, it } from "vitest";
import { resolveApp } from "../../../src/config/app.js";
import { parseConfig } from "../../../src/config/load.js";
import { DEFAULT_POLICY_TAG_PATTERN } from "../../../src/config/schema.js";
import { EXIT, UsageError } from "../../../src/errors.js";

const FILE = "/srv/project/pinroll.yml";

function app(name: string, extra = ""): string {
  return `  ${name}:\n    compose: stacks/${name}/compose.yml\n    hosts: ${name}\n    deploy_dir: /opt/${name}\n    pin: ["ghcr.io/org/${name}"]\n${extra}`;
}

const config = (apps: string, top = "") => parseConfig(`${top}apps:${apps ? `\n${apps}` : " {}\n"}`, FILE);

/** The UsageError resolveApp throws; fails the test when it returns. */
function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("resolveApp", () => {
  it("takes the only app when none is named", () => {
    expect(resolveApp(config(app("web")))).toMatchObject({ name: "web", deploy_dir: "/opt/web" });
  });

  it("resolves paths against the config file and applies defaults", () => {
    const resolved = resolveApp(config(app("web"), "registry: ghcr.io\nstate_dir: state\n"), "web");
    expect(resolved).toMatchObject({
      name: "web",
      composeFile: "/srv/project/stacks/web/compose.yml",
      inventoryFile: "/srv/project/ansible/inventory/local.yml",
      historyLimit: 100,
      registry: "ghcr.io",
      stateDir: "/srv/project/state",
    });
    expect(resolved.tagRegex.test("6350192")).toBe(true);
    expect(resolved.tagRegex.test("latest")).toBe(false);
  });

  it("fills every default, so no command restates one (issue 10)", () => {
    const web = resolveApp(config(app("web")), "web");
    expect(web).toMatchObject({
      tag_pattern: "^[0-9a-f]{7,40}$",
      platform: "linux/amd64",
      hooks_timeout_s: 300,
      historyLimit: 100,
      lockTtlMs: 30 * 60_000,
      hookArgv: {},
      verifyKey: undefined,
      // absent sections come with their own defaults
      prune: { keep: 10, min_age: "7d" },
      policy: { tag_pattern: DEFAULT_POLICY_TAG_PATTERN, production_files: [], require_digest: false },
    });
    expect(web.policy.allowed_registries).toBeUndefined();
  });

  it("a section given in part keeps its other defaults", () => {
    const c = config(
      app("web", "    prune: { keep: 3 }\n    policy: { require_digest: true }\n    healthcheck: { url: http://127.0.0.1:8080/ }\n"),
    );
    const web = resolveApp(c, "web");
    expect(web.prune).toEqual({ keep: 3, min_age: "7d" });
    expect(web.policy).toMatchObject({ require_digest: true, tag_pattern: DEFAULT_POLICY_TAG_PATTERN, production_files: [] });
    expect(web.healthcheck).toEqual({ url: "http://127.0.0.1:8080/", timeout_s: 30, from: "host" });
  });

  it("an app's history_limit wins over the top-level one", () => {
    const c = config(app("web", "    history_limit: 7\n") + app("db"), "history_limit: 30\n");
    expect(resolveApp(c, "web").historyLimit).toBe(7);
    expect(resolveApp(c, "db").historyLimit).toBe(30);
  });

  it("an unknown app lists the apps there are", () => {
    const err = usageErrorOf(() => resolveApp(config(app("web") + app("api")), "wbe"));
    expect(err.message).toBe('unknown app "wbe"');
    expect(err.hint).toBe("apps in pinroll.yml: web, api");
    expect(err.exitCode).toBe(EXIT.usage);
  });

  it("several apps and none named is bad usage", () => {
    const err = usageErrorOf(() => resolveApp(config(app("web") + app("api"))));
    expect(err.message).toBe(`which app? ${FILE} has web, api`);
    expect(err.exitCode).toBe(EXIT.usage);
  });

  it("no apps at all is bad usage too", () => {
    const err = usageErrorOf(() => resolveApp(config("")));
    expect(err.message).toBe(`no apps in ${FILE}`);
    expect(err.exitCode).toBe(EXIT.usage);
  });
});
