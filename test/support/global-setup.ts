// Integration tests talk to a real distribution registry on loopback, started here on a free port with its own
// data dir, and stopped at the end. Docker and the tools come from scripts/setup.sh (run by `npm test`).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { toolEnv } from "../../src/tools/run.js";

let registry: ChildProcess | undefined;
let dir: string | undefined;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-test-registry-"));
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  fs.writeFileSync(
    path.join(dir, "config.yml"),
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: ${addr}\n`,
  );
  registry = spawn("registry", ["serve", path.join(dir, "config.yml")], { env: toolEnv(), stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://${addr}/v2/`);
      if (res.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  project.provide("registry", addr);
  return async () => {
    registry?.kill("SIGTERM");
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    registry: string;
  }
}
