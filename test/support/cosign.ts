// Real cosign key pairs and signatures for the signed-release tests (issue 12): keyed, offline, no transparency log.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cosignCmd } from "../../src/tools/cosign.js";
import { run } from "../../src/tools/run.js";

export interface KeyPair {
  dir: string;
  /** private key (empty password) */
  key: string;
  pub: string;
}

export async function makeKeyPair(): Promise<KeyPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-cosign-"));
  await run(cosignCmd.generateKeyPair(dir));
  return { dir, key: path.join(dir, "cosign.key"), pub: path.join(dir, "cosign.pub") };
}

/** Signs REPO@DIGEST, pushing sha256-<hex>.sig beside it. */
export async function sign(pair: KeyPair, ref: string): Promise<void> {
  await run({ ...cosignCmd.sign(pair.key, ref), env: { COSIGN_PASSWORD: "" } });
}
