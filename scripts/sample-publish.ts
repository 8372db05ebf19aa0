#!/usr/bin/env node
// `task sample:publish`: sample app images without a Docker build (issue 2 item 5). A throwaway git repo with
// fixed commit dates (so SHAs, tags and digests are the same on every run), one busybox-static httpd image per
// commit built with `crane append` + `crane mutate --label` from ci-meta's labels, pushed to the registry.
// A zx script (DESIGN.md: Taskfile -> scripts/ zx entry points); crane goes through pinroll's own crane layer.
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import { $, fs, minimist, os, path } from "zx";
import { ciMeta } from "../src/commands/ci-meta.js";
import { signatureTagOf } from "../src/registry/signature-tags.js";
import { cosignCmd } from "../src/tools/cosign.js";
import { craneCmd, runCrane } from "../src/tools/crane.js";
import { run } from "../src/tools/run.js";

export interface SampleOptions {
  image: string;
  /** commit subjects, oldest first; `count` synthesises more */
  subjects?: string[];
  count?: number;
  workDir?: string;
  /** tag `latest` on the newest commit */
  latest?: boolean;
  concurrency?: number;
  log?: (line: string) => void;
  /** subjects whose image serves no index.html (GET / answers 404): a release whose healthcheck fails */
  broken?: string[];
  /** a cosign private key (path or env://VAR; password in COSIGN_PASSWORD): sign every image not signed yet (issue 12) */
  signKey?: string;
}

export interface SampleImage {
  tag: string;
  subject: string;
  revision: string;
  created: string;
}

export const DEFAULT_SUBJECTS = ["initial deploy", "add healthcheck + fix nginx proxy header", "show the build on the front page"];
const BASE_TIME = Date.parse("2026-01-25T01:00:00Z");

export async function publishSample(opts: SampleOptions): Promise<SampleImage[]> {
  const log = opts.log ?? (() => {});
  const subjects =
    opts.subjects ?? Array.from({ length: opts.count ?? DEFAULT_SUBJECTS.length }, (_, i) => DEFAULT_SUBJECTS[i] ?? `change ${i + 1}`);
  const work = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-sample-"));
  const repo = path.join(work, "git");
  const revisions = await makeCommits(repo, subjects);
  const busyboxTar = await busyboxLayer(work);
  const existing = new Set((await runCrane(craneCmd.ls(opts.image)).catch(() => "")).split("\n"));
  const limit = pLimit(opts.concurrency ?? 4);
  const images = await Promise.all(
    revisions.map((rev, i) =>
      limit(async (): Promise<SampleImage> => {
        const meta = await ciMeta({ dir: repo, rev, source: "https://git.example.invalid/pinroll/sample" });
        const tag = meta.short_sha;
        const sample = {
          tag,
          subject: subjects[i] ?? "",
          revision: meta.revision,
          created: meta.labels["org.opencontainers.image.created"] ?? "",
        };
        if (existing.has(tag)) return sample;
        const www = await wwwLayer(work, tag, subjects[i] ?? "", opts.broken?.includes(subjects[i] ?? "") ?? false);
        const staged = `${opts.image}:staging-${tag}`;
        await runCrane(craneCmd.append([busyboxTar, www], staged));
        await runCrane(
          craneCmd.mutate(staged, {
            labels: meta.labels,
            entrypoint: ["/bin/busybox", "sh", "-c", "exec /bin/busybox httpd -f -p ${PORT:-8080} -h /www"],
            env: ["PORT=8080"],
            platform: "linux/amd64",
            tag: `${opts.image}:${tag}`,
          }),
        );
        await deleteTag(staged);
        log(`published ${opts.image}:${tag}  ${subjects[i]}`);
        return sample;
      }),
    ),
  );
  if (opts.latest !== false && images.length) await runCrane(craneCmd.tag(`${opts.image}:${images.at(-1)!.tag}`, "latest"));
  if (opts.signKey) await signImages(opts.image, images, opts.signKey, existing, log);
  return images;
}

/** Signs each image once: a digest that already has its sha256-<hex>.sig tag is left as it is. */
async function signImages(image: string, images: SampleImage[], key: string, existing: Set<string>, log: (l: string) => void) {
  for (const { tag } of images) {
    const digest = (await runCrane(craneCmd.digest(`${image}:${tag}`))).trim();
    if (existing.has(signatureTagOf(digest))) continue;
    await run(cosignCmd.sign(key, `${image}@${digest}`));
    log(`signed ${image}@${digest} (${tag})`);
  }
}

/** crane append needs a tag to push to; the staging tag is removed once the labelled image has its SHA tag. */
async function deleteTag(ref: string): Promise<void> {
  const digest = await runCrane(craneCmd.digest(ref));
  const [repo] = ref.split(/:(?=[^:/]+$)/);
  // Deleting by digest would remove the manifest the SHA tag shares only if they were equal; mutate made a new one.
  await runCrane(craneCmd.delete(`${repo}@${digest}`));
}

async function makeCommits(repo: string, subjects: string[]): Promise<string[]> {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.mkdirSync(repo, { recursive: true });
  const git = $({ cwd: repo, quiet: true });
  await git`git init -q -b main`;
  const revisions: string[] = [];
  for (const [i, subject] of subjects.entries()) {
    fs.writeFileSync(path.join(repo, "CHANGES"), `${i}: ${subject}\n`, { flag: "a" });
    const date = new Date(BASE_TIME + i * 9 * 60_000).toISOString();
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: "Sample",
      GIT_AUTHOR_EMAIL: "sample@example.invalid",
      GIT_COMMITTER_NAME: "Sample",
      GIT_COMMITTER_EMAIL: "sample@example.invalid",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
    await git`git add CHANGES`;
    await $({ cwd: repo, env, input: subject, quiet: true })`git commit -q --no-verify -F -`;
    revisions.push((await git`git rev-parse HEAD`).stdout.trim());
  }
  return revisions;
}

/** One layer with a static busybox, byte-identical on every run so the registry stores it once. */
async function busyboxLayer(work: string): Promise<string> {
  const tarFile = path.join(work, "busybox.tar");
  if (fs.existsSync(tarFile)) return tarFile;
  const root = path.join(work, "busybox-root");
  fs.mkdirSync(path.join(root, "bin"), { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  await $({ quiet: true })`tar --mtime=@0 --owner=0 --group=0 --numeric-owner --sort=name -C ${root} -cf ${tarFile} bin`;
  return tarFile;
}

async function wwwLayer(work: string, tag: string, subject: string, broken: boolean): Promise<string> {
  const root = path.join(work, `www-${tag}`);
  fs.mkdirSync(path.join(root, "www"), { recursive: true });
  fs.writeFileSync(path.join(root, "www", broken ? "nothing-here.txt" : "index.html"), `hello from ${tag}: ${subject}\n`);
  const tarFile = path.join(work, `www-${tag}.tar`);
  await $({ quiet: true })`tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C ${root} -cf ${tarFile} www`;
  return tarFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = minimist(process.argv.slice(2), { string: ["image", "count", "dir", "sign-key"] });
  const image = args.image ?? (args._[0] as string | undefined);
  if (!image) {
    console.error("error: usage: sample-publish --image REGISTRY/REPO [--count N] [--dir WORKDIR] [--sign-key KEY]");
    process.exit(2);
  }
  const images = await publishSample({
    image,
    ...(args.count ? { count: Number(args.count) } : {}),
    ...(args.dir ? { workDir: path.resolve(args.dir) } : {}),
    ...(args["sign-key"] ? { signKey: args["sign-key"] } : {}),
    log: console.log,
  });
  console.log(`${images.length} sample images in ${image} (latest -> ${images.at(-1)?.tag})`);
}
