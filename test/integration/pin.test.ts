// `pinroll pin` against a real registry with real crane (issue 4): files rewritten in place, byte for byte except the refs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { digestOf, pushImage } from "../support/images.js";
import { runCli } from "../support/project.js";

const registry = inject("registry");
const img = (name: string) => `${registry}/pin/${name}`;
const short = (digest: string) => `${digest.slice(0, 19)}…`;
const digests: Record<string, string> = {};

beforeAll(async () => {
  for (const ref of ["postgres:16-alpine", "redis:7", "redis:6", "golang:1.22", "nginx:1.25"]) {
    await pushImage(img(ref));
    digests[ref] = await digestOf(img(ref));
  }
  await pushImage(img("python:amd64"), { platform: "linux/amd64" });
  await pushImage(img("python:arm64"), { platform: "linux/arm64" });
  await runCrane(craneCmd.indexAppend([img("python:amd64"), img("python:arm64")], img("python:3.11-slim")));
  digests["python:3.11-slim"] = await digestOf(img("python:3.11-slim"));
  digests.arm64 = (await runCrane(craneCmd.digest(img("python:3.11-slim"), "linux/arm64"))).trim();
});

const COMPOSE = () => `# Production stack: comments stay
services:
  db:
    image: ${img("postgres:16-alpine")}   # stateful, pin by hand
  cache:
    image:   '${img("redis:7")}'
  web:
    image: "\${WEB_IMAGE:-${img("nginx:1.25")}}"
  api:
    build: ./api
  tagged:
    image: \${REGISTRY}/pin/app:1
`;

// CRLF, odd spacing, ARG-based names, --platform=, a stage alias, COPY --from an image and from a stage.
const DOCKERFILE = () =>
  [
    "# syntax=docker/dockerfile:1",
    "ARG PY_VERSION=3.11",
    `ARG GO_IMAGE="${img("golang:1.22")}"`,
    "",
    "FROM --platform=$BUILDPLATFORM ${GO_IMAGE}   AS   build",
    "RUN go build -o /out ./...",
    "",
    `FROM  ${registry}/pin/python:\${PY_VERSION}-slim AS runtime`,
    "COPY --from=build /out /app",
    `COPY --from=${img("nginx:1.25")} /etc/nginx/nginx.conf /etc/nginx/`,
    "FROM runtime",
    "",
  ].join("\r\n");

function workdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-pin-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const pinCli = (dir: string, ...args: string[]) => runCli(["pin", ...args], { cwd: dir });
const at = (ref: string) => `${ref}@${digests[ref.split("/").at(-1)!]}`;

function pinnedCompose(): string {
  return COMPOSE()
    .replace(`${img("postgres:16-alpine")}   #`, `${at(img("postgres:16-alpine"))}   #`)
    .replace(`'${img("redis:7")}'`, `'${at(img("redis:7"))}'`)
    .replace(`${img("nginx:1.25")}}`, `${at(img("nginx:1.25"))}}`);
}

function pinnedDockerfile(): string {
  return DOCKERFILE()
    .replace(`"${img("golang:1.22")}"`, `"${at(img("golang:1.22"))}"`)
    .replace("${PY_VERSION}-slim AS", `\${PY_VERSION}-slim@${digests["python:3.11-slim"]} AS`)
    .replace(`${img("nginx:1.25")} /etc`, `${at(img("nginx:1.25"))} /etc`);
}

describe("pin", () => {
  it("pins a compose file and a multi-stage Dockerfile in place, changing nothing but the refs", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE(), Dockerfile: DOCKERFILE() });
    const res = await pinCli(dir, "docker-compose.yml", "Dockerfile");
    expect(res.code).toBe(0);
    expect(read(dir, "docker-compose.yml")).toBe(pinnedCompose());
    expect(read(dir, "Dockerfile")).toBe(pinnedDockerfile());
    expect(read(dir, "Dockerfile").split("\r\n")).toHaveLength(DOCKERFILE().split("\r\n").length);
    const lines = res.stdout.split("\n");
    expect(lines).toContain(
      `docker-compose.yml:4  ${img("postgres:16-alpine")} -> ${img("postgres:16-alpine")}@${short(digests["postgres:16-alpine"]!)}`,
    );
    expect(lines).toContain(
      `Dockerfile:8  ${img("python:3.11-slim")} -> ${img("python:3.11-slim")}@${short(digests["python:3.11-slim"]!)}`,
    );
    expect(lines).toContain("docker-compose.yml:9  (no image)  skipped: service api is built here (build: ./api), no image to pin");
    expect(lines).toContain("docker-compose.yml:12  ${REGISTRY}/pin/app:1  skipped: uses ${REGISTRY} with no default in the file");
    expect(lines).toContain("Dockerfile:11  runtime  skipped: stage alias: runtime is a build stage, not an image");
    expect(lines.at(-2)).toBe("6 pinned, 4 skipped; 2 files written");
    const again = await pinCli(dir, "docker-compose.yml", "Dockerfile");
    expect(again.stdout.trim().split("\n").at(-1)).toBe("6 already pinned, 4 skipped; 0 files written");
    expect(read(dir, "Dockerfile")).toBe(pinnedDockerfile());
  });

  it("--check exits 1 listing every unpinned ref with file:line, and 0 once they are pinned", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE(), Dockerfile: DOCKERFILE() });
    const before = await pinCli(dir, "--check", "docker-compose.yml", "Dockerfile");
    expect(before.code).toBe(1);
    expect(before.stdout.split("\n").filter((l) => l.endsWith("not pinned"))).toEqual([
      `docker-compose.yml:4  ${img("postgres:16-alpine")}  not pinned`,
      `docker-compose.yml:6  ${img("redis:7")}  not pinned`,
      `docker-compose.yml:8  ${img("nginx:1.25")}  not pinned`,
      `Dockerfile:5  ${img("golang:1.22")}  not pinned`,
      `Dockerfile:8  ${img("python:3.11-slim")}  not pinned`,
      `Dockerfile:10  ${img("nginx:1.25")}  not pinned`,
    ]);
    expect(read(dir, "Dockerfile")).toBe(DOCKERFILE());
    expect((await pinCli(dir, "docker-compose.yml", "Dockerfile")).code).toBe(0);
    const after = await pinCli(dir, "--check", "docker-compose.yml", "Dockerfile");
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain("not pinned");
    expect(after.stdout.trim().split("\n").at(-1)).toBe("all 6 references pinned, 4 skipped");
  });

  it("--check --json gives DESIGN.md's shape with refs as written and defaults resolved", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE() });
    const res = await pinCli(dir, "--check", "--json", "docker-compose.yml");
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({
      files: [
        {
          file: "docker-compose.yml",
          refs: [
            { line: 4, ref: img("postgres:16-alpine"), kind: "compose-image", pinned: false, skip: null },
            { line: 6, ref: img("redis:7"), kind: "compose-image", pinned: false, skip: null },
            { line: 8, ref: img("nginx:1.25"), kind: "compose-image", pinned: false, skip: null },
            { line: 9, ref: "", kind: "compose-image", pinned: false, skip: "service api is built here (build: ./api), no image to pin" },
            {
              line: 12,
              ref: "${REGISTRY}/pin/app:1",
              kind: "compose-image",
              pinned: false,
              skip: "uses ${REGISTRY} with no default in the file",
            },
          ],
        },
      ],
    });
  });

  it("--update rewrites only the ref whose tag moved, printing old -> new", async () => {
    const moving = img("moving");
    const first = await pushImage(`${moving}:1.0`);
    const second = await pushImage(`${moving}:1.0-next`);
    const dir = workdir({
      "docker-compose.yml": `services:\n  a:\n    image: ${moving}:1.0 # moves\n  b:\n    image: ${img("redis:7")}\n`,
    });
    expect((await pinCli(dir, "docker-compose.yml")).code).toBe(0);
    const pinned = read(dir, "docker-compose.yml");
    expect(pinned).toContain(`${moving}:1.0@${first} # moves`);
    await runCrane(craneCmd.tag(`${moving}:1.0-next`, "1.0"));
    const res = await pinCli(dir, "--update", "docker-compose.yml");
    expect(res.code).toBe(0);
    expect(read(dir, "docker-compose.yml")).toBe(pinned.replace(first, second));
    const lines = res.stdout.split("\n");
    expect(lines).toContain(`docker-compose.yml:3  ${moving}:1.0@${short(first)} -> ${moving}:1.0@${short(second)}`);
    expect(lines).toContain(`docker-compose.yml:5  ${img("redis:7")}@${short(digests["redis:7"]!)}  up to date`);
    const quiet = await pinCli(dir, "--update", "docker-compose.yml");
    expect(quiet.stdout.trim().split("\n").at(-1)).toBe("2 unchanged; 0 files written");
  });

  it("pins the multi-arch index digest, or one platform's manifest with --platform", async () => {
    const text = `FROM ${img("python:3.11-slim")}\n`;
    const dir = workdir({ Dockerfile: text, "arm.Dockerfile": text });
    expect((await pinCli(dir, "Dockerfile")).code).toBe(0);
    expect((await pinCli(dir, "--platform", "linux/arm64", "arm.Dockerfile")).code).toBe(0);
    expect(read(dir, "Dockerfile")).toBe(`FROM ${img("python:3.11-slim")}@${digests["python:3.11-slim"]}\n`);
    expect(read(dir, "arm.Dockerfile")).toBe(`FROM ${img("python:3.11-slim")}@${digests.arm64}\n`);
    expect(digests.arm64).not.toBe(digests["python:3.11-slim"]);
    expect(digests.arm64).toBe(await digestOf(img("python:arm64")));
  });

  it("keeps a ref without a tag as written, plus the digest of latest, and --update follows latest", async () => {
    const bare = img("bare");
    const first = await pushImage(`${bare}:latest`);
    const dir = workdir({ Dockerfile: `FROM ${bare}\n` });
    expect((await pinCli(dir, "Dockerfile")).code).toBe(0);
    expect(read(dir, "Dockerfile")).toBe(`FROM ${bare}@${first}\n`);
    const second = await pushImage(`${bare}:latest`);
    expect((await pinCli(dir, "--update", "Dockerfile")).stdout).toContain(
      `Dockerfile:1  ${bare}@${short(first)} -> ${bare}@${short(second)}`,
    );
    expect(read(dir, "Dockerfile")).toBe(`FROM ${bare}@${second}\n`);
  });

  it("--dry-run prints a unified diff that patch applies, and writes nothing", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE(), Dockerfile: DOCKERFILE() });
    const res = await pinCli(dir, "--dry-run", "docker-compose.yml", "Dockerfile");
    expect(res.code).toBe(0);
    expect(read(dir, "docker-compose.yml")).toBe(COMPOSE());
    expect(read(dir, "Dockerfile")).toBe(DOCKERFILE());
    expect(res.stdout).toContain(
      `--- docker-compose.yml\n+++ docker-compose.yml\n@@ -1,11 +1,11 @@\n # Production stack: comments stay\n services:\n   db:\n-    image: ${img("postgres:16-alpine")}   #`,
    );
    expect(res.stderr).toContain("dry run: nothing written");
    execFileSync("patch", ["-s", "-p0", "--binary"], { cwd: dir, input: res.stdout });
    expect(read(dir, "docker-compose.yml")).toBe(pinnedCompose());
    expect(read(dir, "Dockerfile")).toBe(pinnedDockerfile());
  });

  it("reports a file it cannot parse and leaves it untouched, pins the others, exits 1", async () => {
    const broken = "services:\n  db: [unclosed\n    image: postgres:16\n";
    const dir = workdir({ "broken.yml": broken, "docker-compose.yml": COMPOSE() });
    const res = await pinCli(dir, "broken.yml", "docker-compose.yml");
    expect(res.code).toBe(1);
    expect(read(dir, "broken.yml")).toBe(broken);
    expect(read(dir, "docker-compose.yml")).toBe(pinnedCompose());
    expect(res.stdout).toMatch(/^broken\.yml {2}error: not valid YAML: .*line \d+.* \(left untouched\)$/m);
    expect(res.stdout.trim().split("\n").at(-1)).toBe("3 pinned, 2 skipped, 1 file failed; 1 file written");
  });

  it("reports a tag that does not exist on its ref and pins the rest", async () => {
    const dir = workdir({ "docker-compose.yml": `services:\n  a:\n    image: ${img("nope:1")}\n  b:\n    image: ${img("redis:7")}\n` });
    const res = await pinCli(dir, "docker-compose.yml");
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`^docker-compose.yml:3  ${img("nope:1")}  error: .*not found$`, "m"));
    expect(read(dir, "docker-compose.yml")).toContain(`image: ${img("nope:1")}\n`);
    expect(read(dir, "docker-compose.yml")).toContain(`image: ${at(img("redis:7"))}\n`);
  });
});

describe("pin with the project's .env and --env-file (issue 15)", () => {
  const COMPOSE_ENV = () => `services:\n  web:\n    image: \${WEB_IMAGE}\n  cache:\n    image: ${img("redis")}:\${REDIS_TAG:-6}\n`;

  it("--check reports the image compose would run, reading .env beside the compose file", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE_ENV(), ".env": `WEB_IMAGE=${img("nginx:1.25")}\nREDIS_TAG=7\n` });
    const res = await pinCli(dir, "--check", "--json", "docker-compose.yml");
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).files[0].refs.map((r: { ref: string }) => r.ref)).toEqual([img("nginx:1.25"), img("redis:7")]);
  });

  it("writes each digest where the value is defined: the .env line, byte for byte", async () => {
    const env = `# images\r\nWEB_IMAGE=${img("nginx:1.25")}  # the web\r\nREDIS_TAG="7"\r\n`;
    const dir = workdir({ "docker-compose.yml": COMPOSE_ENV(), ".env": env });
    const res = await pinCli(dir, "docker-compose.yml");
    expect(res.code).toBe(0);
    expect(read(dir, "docker-compose.yml")).toBe(COMPOSE_ENV());
    expect(read(dir, ".env")).toBe(
      env.replace(`${img("nginx:1.25")}  #`, `${at(img("nginx:1.25"))}  #`).replace('"7"', `"7@${digests["redis:7"]}"`),
    );
    const again = await pinCli(dir, "--check", "docker-compose.yml");
    expect(again.code).toBe(0);
  });

  it("--env-file replaces .env, as with docker compose; without it an unset variable is named", async () => {
    const dir = workdir({ "docker-compose.yml": COMPOSE_ENV(), "prod.env": `WEB_IMAGE=${img("golang:1.22")}\n` });
    const bare = await pinCli(dir, "--check", "--json", "docker-compose.yml");
    expect(JSON.parse(bare.stdout).files[0].refs[0].skip).toBe("uses ${WEB_IMAGE} with no default in the file");
    const res = await pinCli(dir, "--env-file", "prod.env", "docker-compose.yml");
    expect(res.code).toBe(0);
    expect(read(dir, "prod.env")).toBe(`WEB_IMAGE=${at(img("golang:1.22"))}\n`);
    expect(read(dir, "docker-compose.yml")).toBe(
      COMPOSE_ENV().replace("redis:${REDIS_TAG:-6}", `redis:\${REDIS_TAG:-6@${await digestOf(img("redis:6"))}}`),
    );
  });

  it("reports an unset ${VAR:?message} with its message and pins nothing for it", async () => {
    const dir = workdir({ "docker-compose.yml": "services:\n  a:\n    image: ${IMG:?set IMG in .env}\n" });
    const res = await pinCli(dir, "--check", "docker-compose.yml");
    expect(res.stdout).toContain(
      "docker-compose.yml:3  ${IMG:?set IMG in .env}  skipped: required variable IMG is missing a value: set IMG in .env",
    );
  });

  it("--check fails on an invalid reference and never calls it pinned", async () => {
    const dir = workdir({ Dockerfile: "FROM busybox@latest\nFROM scratch@bogus\n" });
    const res = await pinCli(dir, "--check", "--json", "Dockerfile");
    expect(res.code).toBe(1);
    const refs = JSON.parse(res.stdout).files[0].refs;
    expect(refs.map((r: { pinned: boolean; invalid?: string }) => [r.pinned, r.invalid !== undefined])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect((await pinCli(dir, "Dockerfile")).code).toBe(0);
    expect(read(dir, "Dockerfile")).toBe("FROM busybox@latest\nFROM scratch@bogus\n");
  });
});

describe("pin refuses bad input with one line, exit 2, nothing written", () => {
  async function expectRefused(args: string[], pattern: RegExp) {
    const dir = workdir({ "docker-compose.yml": COMPOSE() });
    const res = await pinCli(dir, ...args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(pattern);
    expect(read(dir, "docker-compose.yml")).toBe(COMPOSE());
  }

  it("no files", () => expectRefused([], /^error: missing required argument 'files'/));
  it("a file that does not exist, even next to one that does", () =>
    expectRefused(["docker-compose.yml", "nope.yml"], /^error: nope\.yml not found$/));
  it("--check with --update", () =>
    expectRefused(["--check", "--update", "docker-compose.yml"], /^error: --check and --update cannot be used together/));
  it("an --env-file that does not exist", () =>
    expectRefused(["--env-file", "nope.env", "docker-compose.yml"], /^error: nope\.env not found$/));
  it("a --platform that is not os/arch", () =>
    expectRefused(["--platform", "arm64", "docker-compose.yml"], /^error: --platform "arm64" is not os\/arch/));

  it("a registry that is not running, naming the host", async () => {
    const dir = workdir({ "docker-compose.yml": `services:\n  a:\n    image: 127.0.0.1:1/pin/app:1\n` });
    const res = await pinCli(dir, "docker-compose.yml");
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^error: registry 127\.0\.0\.1:1 unreachable/);
    expect(read(dir, "docker-compose.yml")).toBe(`services:\n  a:\n    image: 127.0.0.1:1/pin/app:1\n`);
  });
});
