import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, EXIT, UsageError } from "../../../src/errors.js";
import { parseConfig } from "../../../src/config/load.js";
import { DEFAULT_POLICY_TAG_PATTERN, jsonSchema } from "../../../src/config/schema.js";

const FILE = "/srv/project/pinroll.yml";

const MINIMAL = `
apps:
  web:
    compose: stacks/web/docker-compose.yml
    hosts: web
    deploy_dir: /opt/pinroll/web
    pin: ["localhost:5000/demo/web"]
`;

/** The problems parseConfig reports for a text; fails the test when it parses. */
function problemsOf(text: string): string[] {
  try {
    parseConfig(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

beforeEach(() => {
  vi.stubEnv("PINROLL_STATE_DIR", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("parseConfig: a valid config", () => {
  it("gets the defaults", () => {
    const config = parseConfig(MINIMAL, FILE);
    expect(config).toMatchObject({
      registry: "localhost:5000",
      inventory: "ansible/inventory/local.yml",
      history_limit: 100,
      state_dir: ".pinroll",
      file: FILE,
      root: "/srv/project",
      stateDir: "/srv/project/.pinroll",
    });
    expect(config.apps.web).toEqual({
      compose: "stacks/web/docker-compose.yml",
      hosts: "web",
      deploy_dir: "/opt/pinroll/web",
      pin: ["localhost:5000/demo/web"],
      tag_pattern: "^[0-9a-f]{7,40}$",
      platform: "linux/amd64",
      hooks_timeout_s: 300, // issue 11: hooks time out after 300 s unless the app says otherwise
      // issue 10: absent sections get their defaults in the schema, so commands restate none
      policy: { tag_pattern: DEFAULT_POLICY_TAG_PATTERN, production_files: [], require_digest: false },
      prune: { keep: 10, min_age: "7d" },
    });
  });

  it("keeps what is given over the defaults", () => {
    const config = parseConfig(
      `registry: ghcr.io
history_limit: 20
state_dir: var/state
apps:
  api:
    compose: c.yml
    hosts: "web:api"
    deploy_dir: /srv/api
    pin: ["ghcr.io/org/*"]
    tag_pattern: "^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$"
    platform: linux/arm64/v8
    history_limit: 5
    healthcheck: { url: "http://127.0.0.1:8080/health" }
`,
      FILE,
    );
    expect(config.registry).toBe("ghcr.io");
    expect(config.history_limit).toBe(20);
    expect(config.stateDir).toBe("/srv/project/var/state");
    expect(config.apps.api).toMatchObject({
      tag_pattern: "^v\\d+\\.\\d+\\.\\d+$",
      platform: "linux/arm64/v8",
      history_limit: 5,
      healthcheck: { url: "http://127.0.0.1:8080/health", timeout_s: 30 },
    });
  });

  it("PINROLL_STATE_DIR moves the state dir, relative to the config file", () => {
    vi.stubEnv("PINROLL_STATE_DIR", "/tmp/pinroll-state");
    expect(parseConfig(MINIMAL, FILE).stateDir).toBe("/tmp/pinroll-state");
    vi.stubEnv("PINROLL_STATE_DIR", "state");
    expect(parseConfig(MINIMAL, FILE).stateDir).toBe("/srv/project/state");
  });
});

describe("parseConfig: problems with their dotted paths", () => {
  it("a relative deploy_dir", () => {
    expect(problemsOf(MINIMAL.replace("/opt/pinroll/web", "opt/web"))).toEqual(["apps.web.deploy_dir: must be an absolute path"]);
  });

  it("unknown keys, at the top and inside an app", () => {
    expect(problemsOf(`registy: ghcr.io\n${MINIMAL}    colour: red\n`).sort()).toEqual([
      "apps.web.colour: unknown key",
      "registy: unknown key",
    ]);
  });

  it("every missing required key, not just the first", () => {
    const problems = problemsOf("apps:\n  web:\n    hosts: web\n");
    expect(problems.map((p) => p.split(":")[0])).toEqual(["apps.web.compose", "apps.web.deploy_dir", "apps.web.pin"]);
  });

  it("a tag_pattern that is not a regular expression", () => {
    expect(problemsOf(`${MINIMAL}    tag_pattern: "^[0-9a-f{7"\n`)).toEqual(["apps.web.tag_pattern: not a valid regular expression"]);
  });

  it("bad values in nested sections", () => {
    const problems = problemsOf(
      `history_limit: 0\n${MINIMAL.replace('["localhost:5000/demo/web"]', "[]")}    platform: amd64\n    healthcheck: { url: "ftp://x/", timeout_s: -1 }\n`,
    );
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "apps.web.healthcheck.timeout_s",
      "apps.web.healthcheck.url",
      "apps.web.pin",
      "apps.web.platform",
      "history_limit",
    ]);
    expect(problems).toContain("apps.web.platform: expected os/arch[/variant]");
  });

  it("an app name that is not lowercase gets the schema's message", () => {
    expect(problemsOf(MINIMAL.replace("web:", "Web:"))).toEqual(["apps.Web: app names are lowercase letters, digits, . _ -"]);
  });

  it("an empty file lacks apps; a scalar is wrong at the top level", () => {
    expect(problemsOf("")).toEqual([expect.stringMatching(/^apps: /)]);
    expect(problemsOf("just text\n")).toEqual([expect.stringMatching(/^\(top level\): .*expected object/)]);
  });

  it("malformed YAML names the line", () => {
    expect(problemsOf("apps:\n  web:\n    compose: [c.yml\n    hosts: web\n")).toEqual([
      expect.stringMatching(/^not valid YAML at line 4, column 5: Flow sequence in block collection/),
    ]);
    expect(problemsOf("apps:\n\tweb: {}\n")).toEqual(["not valid YAML at line 2, column 1: Tabs are not allowed as indentation"]);
  });

  it("a key written twice is an error, not a silent overwrite", () => {
    expect(problemsOf(`${MINIMAL}    hosts: db\n`)).toEqual([
      expect.stringMatching(/^not valid YAML at line 8, .*Map keys must be unique/),
    ]);
  });
});

describe("ConfigError", () => {
  it("is bad input (exit 2) and names the file", () => {
    const one = new ConfigError(FILE, ["apps.web.hosts: required"]);
    expect(one).toBeInstanceOf(UsageError);
    expect(one.exitCode).toBe(EXIT.usage);
    expect(one.message).toBe(`${FILE}: apps.web.hosts: required`);
  });

  it("lists several problems one a line", () => {
    const many = new ConfigError(FILE, ["a: x", "b: y"]);
    expect(many.message).toBe(`${FILE}: 2 problems:\n  a: x\n  b: y`);
  });
});

describe("pinroll.schema.json", () => {
  it("is generated from the zod schema (out of sync? run: npm run build && npm run schema)", () => {
    const committed = fs.readFileSync(new URL("../../../pinroll.schema.json", import.meta.url), "utf8");
    expect(committed, "pinroll.schema.json is stale: run `npm run build && npm run schema`").toBe(
      `${JSON.stringify(jsonSchema(), null, 2)}\n`,
    );
  });

  it("describes the config for editors: required keys and defaults", () => {
    const schema = jsonSchema() as {
      required: string[];
      properties: { registry: { default: string }; apps: { additionalProperties: { required: string[] } } };
    };
    expect(schema.required).toEqual(["apps"]);
    expect(schema.properties.registry.default).toBe("localhost:5000");
    expect(schema.properties.apps.additionalProperties.required.sort()).toEqual(["compose", "deploy_dir", "hosts", "pin"]);
  });
});
