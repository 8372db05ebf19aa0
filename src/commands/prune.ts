// `pinroll prune APP`: registry tags nothing needs any more (seed 004, Cleanup & Retention). Dry run unless `yes`.
// Never deleted, whatever the options: a digest live on any host, a digest of the newest `keep` releases on any
// host, env-* and vX.Y.Z tags, tags younger than min_age or with no date, and any digest one of those shares.
import { resolveApp } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { EXIT, UsageError, type ExitCode } from "../errors.js";
import { deleteImages, lateTags, type DeleteOutcome } from "../prune/delete.js";
import { parseDuration } from "../config/duration.js";
import { readProtection } from "../prune/protect.js";
import { selectPrune, type Candidate, type Kept } from "../prune/select.js";
import { estimateFreed } from "../prune/space.js";
import { RegistryClient } from "../registry/http.js";
import { repoName } from "../image/ref.js";
import { appTagOptions, readRepoTags } from "../registry/tags.js";
import { deleteSignatures, type SignatureOutcome } from "../prune/signatures.js";
import { appImage } from "../release/resolve.js";

export interface PruneOptions {
  config?: string;
  yes?: boolean;
  keep?: number;
  minAge?: string;
  /** for tests: the clock ages are measured against */
  now?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PruneResult extends DeleteOutcome {
  app: string;
  image: string;
  keep: number;
  min_age: string;
  dry_run: boolean;
  candidates: (Candidate & { signatures?: string[] })[];
  kept: Kept[];
  /** issue 12: cosign tags deleted with their images (a kept image keeps its signatures) */
  deleted_signatures: SignatureOutcome["deleted"];
  failed_signatures: SignatureOutcome["failed"];
  /** layers and configs only the candidates use; null when a manifest could not be read */
  freed_bytes: number | null;
  exitCode: ExitCode;
}

export function parseKeep(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "number" || /^\d+$/.test(String(raw))) return Number(raw);
  throw new UsageError(`invalid --keep "${String(raw)}"`, "the number of newest releases to keep: 0 or more");
}

export async function prune(appName: string | undefined, opts: PruneOptions = {}): Promise<PruneResult> {
  const app = resolveApp(loadConfig(opts.config), appName);
  const keep = opts.keep ?? app.prune.keep;
  const minAge = opts.minAge ?? app.prune.min_age;
  const minAgeMs = parseDuration(minAge);
  const image = appImage(app);
  const repo = repoName(image);
  const [protection, { tags, signatures }] = await Promise.all([
    readProtection(app, keep),
    readRepoTags(image, {
      ...appTagOptions(app),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    }),
  ]);
  const { candidates, kept } = selectPrune({ tags, ...protection, keep, minAgeMs, minAge, now: opts.now ?? Date.now() });
  const byDigest = new Map<string, string[]>();
  for (const c of candidates) byDigest.set(c.digest, [...(byDigest.get(c.digest) ?? []), c.tag]);
  const releaseDigests = [...protection.releases].filter(([, n]) => n <= keep).map(([d]) => d);
  const protectedDigests = new Set([...kept.map((k) => k.digest), ...protection.live.keys(), ...releaseDigests]);
  const client = new RegistryClient(image.registry, image.repository);
  const freed = byDigest.size ? await estimateFreed(client, [...byDigest.keys()], [...protectedDigests]) : 0;
  if (opts.yes) {
    const listed = [...tags.map((t) => t.tag), ...[...signatures.values()].flat().map((s) => s.tag)];
    const late = await lateTags(image, new Set(listed), new Set(byDigest.keys()));
    for (const [digest, newTags] of late) {
      for (const tag of byDigest.get(digest) ?? [])
        kept.push({ tag, digest, reason: "late", why: `tagged ${newTags.join(", ")} while the prune ran` });
      byDigest.delete(digest);
      protectedDigests.add(digest);
    }
  }
  const outcome: DeleteOutcome = opts.yes
    ? await deleteImages(repo, byDigest, protectedDigests)
    : { deleted: [], failed: [], stopped: null };
  const sigs = opts.yes
    ? await deleteSignatures(image, signatures, new Set(outcome.deleted.map((d) => d.digest)), protectedDigests)
    : { deleted: [], failed: [] };
  const signaturesOf = (digest: string) => (signatures.get(digest) ?? []).map((s) => s.tag);
  return {
    app: app.name,
    image: repo,
    keep,
    min_age: minAge,
    dry_run: !opts.yes,
    candidates: candidates
      .filter((c) => !protectedDigests.has(c.digest))
      .map((c) => (signaturesOf(c.digest).length ? { ...c, signatures: signaturesOf(c.digest) } : c)),
    kept,
    freed_bytes: freed,
    ...outcome,
    deleted_signatures: sigs.deleted,
    failed_signatures: sigs.failed,
    exitCode: outcome.stopped || outcome.failed.length || sigs.failed.length ? EXIT.failed : EXIT.ok,
  };
}
