// bench/deploy's signature part (issue 12): what verifying 5 services' digests with cosign adds to a deploy, cold
// (every digest checked by a cosign process, all at once) and warm (served from the cache by digest and key).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { App } from "../src/config/app.js";
import { verifySubjects, type Subject } from "../src/verify/cosign.js";
import { SignatureCache } from "../src/verify/cache.js";
import { makeKeyPair, sign } from "../test/support/cosign.js";
import { pushImage } from "../test/support/images.js";
import { median, row, timed } from "./support.js";

const SERVICES = 5;
const GOAL_S = 1;

export async function benchVerify(registry: string, rounds: number): Promise<void> {
  const pair = await makeKeyPair();
  const subjects: Subject[] = await Promise.all(
    Array.from({ length: SERVICES }, async (_, i) => {
      const image = `${registry}/bench/verify-${i}`;
      const digest = await pushImage(`${image}:bench`, { content: `verify ${i} ${Date.now()}` });
      await sign(pair, `${image}@${digest}`);
      return { service: `svc${i}`, image, digest };
    }),
  );
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-bench-verify-"));
  const app = { name: "bench", verifyKey: pair.pub, stateDir } as App;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    fs.rmSync(SignatureCache.file(stateDir), { force: true });
    cold.push((await timed(() => verifySubjects(app, subjects))).seconds);
    warm.push((await timed(() => verifySubjects(app, subjects))).seconds);
  }
  const c = median(cold);
  row(`cosign verify of ${SERVICES} services, cold (median of ${rounds})`, c, `goal <= ${GOAL_S} s  ${c <= GOAL_S ? "MET" : "NOT MET"}`);
  row(`the same, cached by digest + key (median of ${rounds})`, median(warm));
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.rmSync(pair.dir, { recursive: true, force: true });
}
