// Test images built with real crane against the test registry: no Docker build, no internet.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { run } from "../../src/tools/run.js";

/** A one-file layer tarball; `content` makes its digest unique. */
export async function layer(content: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-layer-"));
  fs.writeFileSync(path.join(dir, "content.txt"), content);
  const tar = path.join(dir, "layer.tar");
  await run({ tool: "tar", argv: ["--mtime=@0", "--owner=0", "--group=0", "-C", dir, "-cf", tar, "content.txt"] });
  return tar;
}

/** Pushes a one-layer image, labelled when `labels` is given; returns its digest. */
export async function pushImage(
  ref: string,
  opts: { labels?: Record<string, string>; platform?: string; content?: string } = {},
): Promise<string> {
  const staged = `${ref}-staged`;
  await runCrane(craneCmd.append([await layer(opts.content ?? `${ref} ${Math.random()}`)], staged));
  const out = await runCrane(craneCmd.mutate(staged, { labels: opts.labels ?? {}, platform: opts.platform ?? "linux/amd64", tag: ref }));
  return out.trim().split("@")[1] ?? "";
}

export async function digestOf(ref: string): Promise<string> {
  return (await runCrane(craneCmd.digest(ref))).trim();
}
