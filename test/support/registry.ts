// A throwaway distribution registry on a free loopback port with its own data dir, for the integration tests
// and the benchmarks; pause/resume keep the data (garbage collection needs the registry stopped).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { registryCmd, registryConfigYaml, waitForRegistry } from "../../src/tools/registry.js";
import { toolEnv } from "../../src/tools/run.js";

export interface TestRegistry {
  addr: string;
  dir: string;
  config: string;
  /** stops the process, keeping the data */
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  /** stops it and removes its data */
  stop: () => void;
}

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

export async function startRegistry(opts: { deletes?: boolean } = {}): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-registry-"));
  const addr = `127.0.0.1:${await freePort()}`;
  const config = path.join(dir, "config.yml");
  fs.writeFileSync(config, registryConfigYaml({ addr, dataDir: path.join(dir, "data"), ...opts }));
  let child: ChildProcess | undefined;
  const resume = async () => {
    const cmd = registryCmd.serve(config);
    child = spawn(cmd.tool, cmd.argv, { env: toolEnv(), stdio: "ignore" });
    if (!(await waitForRegistry(addr))) throw new Error(`test registry did not answer on ${addr}`);
  };
  const pause = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise((resolve) => (c.once("exit", resolve), c.kill("SIGTERM")));
  };
  await resume();
  return {
    addr,
    dir,
    config,
    pause,
    resume,
    stop: () => {
      child?.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
