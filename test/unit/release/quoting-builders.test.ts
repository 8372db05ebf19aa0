// Exact strings from the builders that quote for a shell or for Ansible (issue 10): the remote script runner, catFile,
// the ansible-playbook argv and playbookVars. A remote command line is also run through /bin/sh to prove it parses back.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { App } from "../../../src/config/app.js";
import type { Release } from "../../../src/release/release.js";
import { renderDeployInfo, renderOverride } from "../../../src/release/render.js";
import { appHosts } from "../../../src/hosts/deployed.js";
import { playbookVars, unneededSteps } from "../../../src/release/ship.js";
import { ansibleCmd } from "../../../src/tools/ansible.js";
import { catFile, controlDir, remoteScript } from "../../../src/tools/ssh.js";

const SSH_OPTS = [
  "-o",
  "BatchMode=yes",
  "-o",
  "ConnectTimeout=10",
  "-o",
  "ControlMaster=auto",
  "-o",
  `ControlPath=${controlDir}/%C`,
  "-o",
  "ControlPersist=60s",
  "-o",
  "ServerAliveInterval=3",
  "-o",
  "ServerAliveCountMax=2",
];

/** What the remote shell makes of the last ssh argument: its words, one per line (NUL-separated). */
const wordsOf = (line: string) =>
  execFileSync("/bin/sh", ["-c", `printf '%s\\0' ${line}`], { encoding: "utf8" })
    .split("\0")
    .slice(0, -1);

describe("remoteScript", () => {
  it("passes the script and each value as one quoted word of `sh -c SCRIPT pinroll ARGS...`", () => {
    const cmd = remoteScript(
      { host: "web-1", port: 2222, user: "deploy", keyFile: "/k/id", extraArgs: ["-o", "StrictHostKeyChecking=no"] },
      `printf '%s' "$1"`,
      "a b'c; $(id)",
      "plain",
    );
    expect(cmd).toEqual({
      tool: "ssh",
      argv: [
        ...SSH_OPTS,
        "-p",
        "2222",
        "-i",
        "/k/id",
        "-o",
        "StrictHostKeyChecking=no",
        "deploy@web-1",
        `sh -c 'printf '\\''%s'\\'' "$1"' pinroll 'a b'\\''c; $(id)' plain`,
      ],
    });
    expect(wordsOf(cmd.argv.at(-1)!)).toEqual(["sh", "-c", `printf '%s' "$1"`, "pinroll", "a b'c; $(id)", "plain"]);
  });

  it("leaves out port, key and user when not set", () => {
    expect(remoteScript({ host: "h" }, "true").argv).toEqual([...SSH_OPTS, "h", "sh -c true pinroll"]);
  });
});

describe("catFile", () => {
  it("prints the file or exits 3, the path as $1", () => {
    const cmd = catFile({ host: "h" }, "/opt/my app/it's.yml");
    expect(cmd.argv.at(-1)).toBe(`sh -c 'if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi' pinroll '/opt/my app/it'\\''s.yml'`);
    expect(wordsOf(cmd.argv.at(-1)!)).toEqual([
      "sh",
      "-c",
      'if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi',
      "pinroll",
      "/opt/my app/it's.yml",
    ]);
  });
});

describe("ansibleCmd.playbook", () => {
  it("builds the argv, vars as a file, and pinroll's Ansible settings", () => {
    const run = {
      ansibleDir: "/p/ansible",
      playbook: "deploy.yml",
      inventory: "/p/inv.yml",
      varsFile: "/t/release.yml",
      resultsFile: "/t/r.jsonl",
    };
    expect(ansibleCmd.playbook({ ...run, limit: "web-1:web-2", verbose: true })).toEqual({
      tool: "ansible-playbook",
      argv: ["-i", "/p/inv.yml", "/p/ansible/deploy.yml", "-e", "@/t/release.yml", "--limit", "web-1:web-2", "-v"],
      env: {
        ANSIBLE_CONFIG: "/p/ansible/ansible.cfg",
        ANSIBLE_CALLBACK_PLUGINS: "/p/ansible/callback_plugins",
        ANSIBLE_CALLBACKS_ENABLED: "pinroll_results",
        ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
        ANSIBLE_SSH_CONTROL_PATH: "%(directory)s/%%C",
        ANSIBLE_FORCE_COLOR: "0",
        ANSIBLE_NOCOLOR: "1",
        PINROLL_RESULTS: "/t/r.jsonl",
        PYTHONUNBUFFERED: "1",
        ANSIBLE_INVENTORY_ENABLED: "yaml",
      },
      cwd: "/p/ansible",
    });
    expect(ansibleCmd.playbook(run).argv).toEqual(["-i", "/p/inv.yml", "/p/ansible/deploy.yml", "-e", "@/t/release.yml"]);
    expect(ansibleCmd.playbook({ ...run, skipTags: ["pinroll_login", "pinroll_stage"] }).argv).toEqual([
      "-i",
      "/p/inv.yml",
      "/p/ansible/deploy.yml",
      "-e",
      "@/t/release.yml",
      "--skip-tags",
      "pinroll_login,pinroll_stage",
    ]);
  });
});

describe("unneededSteps", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-steps-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const appWith = (inventory: string, extra: Record<string, unknown> = {}) => {
    const file = path.join(fs.mkdtempSync(path.join(dir, "p-")), "inventory.yml");
    fs.writeFileSync(file, inventory);
    return { name: "web", hosts: "web", inventoryFile: file, hookArgv: {}, ...extra } as unknown as App;
  };
  const one = { pinroll_compose_chunks: ["YQ=="], pinroll_info_chunks: ["Yg=="] };
  const plain = { pinroll_registry_logins: [], pinroll_healthcheck_from: "host" as const };

  it("skips every optional step a plain deploy does not need", () => {
    const app = appWith("all:\n  children:\n    web: { hosts: { h1: {}, h2: {} } }\n");
    expect(unneededSteps(app, appHosts(app), plain, one)).toEqual([
      "pinroll_validate",
      "pinroll_login",
      "pinroll_pre_deploy",
      "pinroll_stage",
      "pinroll_split",
      "pinroll_report",
    ]);
  });

  it("keeps each step some host or the release needs", () => {
    const login = { registry: "r.io", username: "u", password_env: "P", ca_cert: null };
    const app = appWith("all:\n  children:\n    web: { hosts: { h1: {}, h2: { pinroll_compose_runner: module } } }\n", {
      hookArgv: { pre_deploy: ["true"] },
    });
    expect(
      unneededSteps(app, appHosts(app), { ...plain, pinroll_registry_logins: [login] }, { ...one, pinroll_info_chunks: ["a", "b"] }),
    ).toEqual(["pinroll_validate"]);
    const single = appWith("all:\n  children:\n    web: { hosts: { h1: {} } }\n");
    expect(unneededSteps(single, appHosts(single), { ...plain, pinroll_healthcheck_from: "controller" }, one)).not.toContain(
      "pinroll_split",
    );
  });

  it("keeps the split step when group_vars beside the inventory could set the compose runner", () => {
    const app = appWith("all:\n  children:\n    web: { hosts: { h1: {} } }\n");
    fs.mkdirSync(path.join(path.dirname(app.inventoryFile), "group_vars"));
    expect(unneededSteps(app, appHosts(app), plain, one)).toEqual([
      "pinroll_validate",
      "pinroll_login",
      "pinroll_pre_deploy",
      "pinroll_stage",
    ]);
  });
});

describe("playbookVars", () => {
  afterEach(() => vi.unstubAllEnvs());
  const release: Release = {
    app: "web",
    kind: "deploy",
    deployed_at: "2026-01-30T22:30:00.000Z",
    deployed_by: "ops@laptop",
    services: {
      api: {
        image: "localhost:5000/team/api",
        tag: "6350192",
        digest: `sha256:${"a".repeat(64)}`,
        description: 'fix: "a": b {{ x }}',
        revision: "f".repeat(40),
        created: "2026-01-25T01:10:00Z",
      },
    },
  };
  const inventory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-vars-")), "inventory.yml");
  afterAll(() => fs.rmSync(path.dirname(inventory), { recursive: true, force: true }));
  fs.writeFileSync(inventory, "all:\n  children:\n    web: { hosts: { h1: {} } }\n    db: { hosts: { h2: {} } }\n");
  const app = {
    name: "web",
    hosts: "web:db",
    deploy_dir: "/opt/pinroll/web",
    composeFile: "/p/stacks/web/compose.yml",
    inventoryFile: inventory,
    historyLimit: 100,
    healthcheck: { url: "http://127.0.0.1:8080/", timeout_s: 30 },
    serial: "50%",
    hookArgv: { post_deploy: ["notify", "it's done; $(id)"] },
    hooks_timeout_s: 300,
  } as unknown as App;

  it("names every pinroll_* variable the role takes, values as data", () => {
    vi.stubEnv("PINROLL_PAUSE", "after-up");
    const vars = playbookVars(app, release);
    const owner = JSON.parse(vars.pinroll_lock_owner) as Record<string, unknown>;
    expect(owner).toMatchObject({ user: "ops@laptop", controller: os.hostname(), pid: process.pid, message: "", run: vars.pinroll_run });
    expect(vars.pinroll_run).toMatch(/^[0-9a-f]{12}$/);
    expect({ ...vars, pinroll_lock_owner: "", pinroll_run: "" }).toEqual({
      pinroll_app: "web",
      pinroll_hosts: "web:db",
      pinroll_deploy_dir: "/opt/pinroll/web",
      pinroll_compose_src: "/p/stacks/web/compose.yml",
      pinroll_override: renderOverride(release),
      pinroll_deploy_info: renderDeployInfo(release),
      pinroll_history_name: "2026-01-30T22-30-00.000Z.yml",
      pinroll_history_limit: 100,
      pinroll_services: [{ service: "api", image: "localhost:5000/team/api", tag: "6350192", digest: `sha256:${"a".repeat(64)}` }],
      pinroll_healthcheck: { url: "http://127.0.0.1:8080/", timeout_s: 30 },
      pinroll_healthcheck_from: "host",
      pinroll_serial: "50%",
      pinroll_max_fail_percentage: null,
      pinroll_lock_owner: "",
      pinroll_run: "",
      pinroll_pause: "after-up",
      pinroll_keep_lock: true,
      pinroll_hooks: { pre_deploy: null, post_deploy: ["notify", "it's done; $(id)"], on_failure: null },
      pinroll_hooks_timeout: 300,
      pinroll_hook_env: {
        PINROLL_APP: "web",
        PINROLL_KIND: "deploy",
        PINROLL_HOSTS: "h1,h2",
        PINROLL_PERFORMER: "ops@laptop",
        PINROLL_SERVICES: `{"api":{"image":"localhost:5000/team/api","tag":"6350192","digest":"sha256:${"a".repeat(64)}"}}`,
        PINROLL_TAG: "6350192",
        PINROLL_DIGEST: `sha256:${"a".repeat(64)}`,
        PINROLL_PREVIOUS_DIGEST: "",
      },
      pinroll_registry_logins: [],
    });
    expect(vars.pinroll_override).toBe(
      [
        '# Generated by pinroll for "web" at "2026-01-30T22:30:00.000Z" by "ops@laptop": do not edit.',
        "# Pins each service to a digest (tag for humans, digest for the engine). Put back any release: pinroll rollback",
        "services:",
        '  "api":',
        `    image: "localhost:5000/team/api:6350192@sha256:${"a".repeat(64)}"`,
        "",
      ].join("\n"),
    );
  });

  it("sends nulls for what the app leaves out", () => {
    vi.stubEnv("PINROLL_PAUSE", undefined);
    const vars = playbookVars({ ...app, healthcheck: undefined, serial: undefined, hookArgv: {} } as unknown as App, release);
    expect([vars.pinroll_healthcheck, vars.pinroll_serial, vars.pinroll_pause, vars.pinroll_keep_lock]).toEqual([null, null, "", false]);
  });
});
