// Config rules that span fields (config/rules.ts): exact messages, and loadConfig refusing what configRules calls an error.
import { describe, expect, it } from "vitest";
import { composeRules, configRules } from "../../../src/config/rules.js";
import { parseConfig } from "../../../src/config/load.js";
import { ConfigError } from "../../../src/errors.js";

const base = { compose: "c.yml", hosts: "web", deploy_dir: "/opt/x", pin: ["localhost:5000/demo/*"] };
type Apps = Parameters<typeof configRules>[0]["apps"];
const apps = (extra: object) => ({ web: { ...base, tag_pattern: "x", platform: "linux/amd64", ...extra } }) as unknown as Apps;

describe("configRules", () => {
  it("refuses promote_on_deploy outside environments", () => {
    expect(configRules({ apps: apps({ environments: ["dev", "prod"], promote_on_deploy: "staging" }) })).toEqual({
      errors: [
        {
          message: 'apps.web.promote_on_deploy: "staging" is not one of apps.web.environments (dev, prod)',
          fix: "name one of dev, prod, or add it to environments",
        },
      ],
      warnings: [],
    });
  });

  it("accepts promote_on_deploy in environments, or with no promotion order", () => {
    expect(configRules({ apps: apps({ environments: ["dev", "prod"], promote_on_deploy: "prod" }) }).errors).toEqual([]);
    expect(configRules({ apps: apps({ promote_on_deploy: "prod" }) }).errors).toEqual([]);
  });

  it("makes parseConfig fail with the dotted path, exit 2", () => {
    const text = `apps:\n  web:\n    compose: c.yml\n    hosts: web\n    deploy_dir: /opt/x\n    pin: [a/b]\n    environments: [dev]\n    promote_on_deploy: prod\n`;
    expect(() => parseConfig(text, "/p/pinroll.yml")).toThrow(ConfigError);
    expect(() => parseConfig(text, "/p/pinroll.yml")).toThrow(
      '/p/pinroll.yml: apps.web.promote_on_deploy: "prod" is not one of apps.web.environments (dev) (name one of dev, or add it to environments)',
    );
  });
});

describe("composeRules", () => {
  const app = { name: "web", compose: "c.yml", pin: ["localhost:5000/demo/*", "ghcr.io/x/*"], healthcheck: { url: "http://h/" } };

  it("warns about each pin glob that matches no service", () => {
    const r = composeRules(app, [
      { service: "web", image: "localhost:5000/demo/web:1" },
      { service: "db", image: "postgres:16" },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      { message: "pin glob ghcr.io/x/* matches no service of c.yml", fix: "remove it from apps.web.pin, or fix it" },
    ]);
  });

  it("counts ${VAR:-default} images by their default", () => {
    const r = composeRules({ ...app, pin: ["localhost:5000/demo/*"] }, [{ service: "web", image: "${IMG:-localhost:5000/demo/web}:1" }]);
    expect(r).toEqual({ errors: [], warnings: [] });
  });

  it("is an error when no service is pinned at all", () => {
    const r = composeRules(app, [{ service: "db", image: "postgres:16" }]);
    expect(r.errors).toEqual([{ message: "no service of c.yml matches pin: localhost:5000/demo/*, ghcr.io/x/*", fix: "fix apps.web.pin" }]);
  });

  it("warns about a missing healthcheck and build-only services", () => {
    const r = composeRules({ name: "web", compose: "c.yml", pin: ["localhost:5000/demo/*"] }, [
      { service: "web", image: "localhost:5000/demo/web" },
      { service: "tool" },
    ]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      "no healthcheck: a release counts as live once its containers run on the pinned digest",
      "tool has no image: (built on the host, never pinned)",
    ]);
  });
});
