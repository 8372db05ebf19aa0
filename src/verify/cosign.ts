// Verify before anything goes live (issue 12): every pinned digest of a release must carry a valid cosign signature
// for the app's key. All digests at once in a pool; successes cached by digest and key fingerprint. A missing or bad
// signature is bad input (exit 2, nothing changed) that names the service and digest and says how to sign it.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pLimit from "p-limit";
import type { App } from "../config/app.js";
import { classifyRegistryText, lastLine, RegistryError, SignatureError, ToolError, UsageError } from "../errors.js";
import type { Release } from "../release/release.js";
import { classifyVerifyFailure, cosignCmd, type VerifyFailure } from "../tools/cosign.js";
import { formatCommand, run } from "../tools/run.js";
import { SignatureCache } from "./cache.js";

export interface Subject {
  service: string;
  /** repository, without tag or digest */
  image: string;
  digest: string;
}

export interface Unsigned extends Subject {
  failure: VerifyFailure;
  /** the command that would sign it */
  fix: string;
}

export interface VerifyReport {
  /** null when the app has no verify key: nothing was checked */
  key: string | null;
  verified: number;
  cached: number;
  /** only with allowUnsigned: what failed and went ahead anyway */
  unsigned: Unsigned[];
}

export interface VerifyOptions {
  /** warn instead of refusing (rollback --allow-unsigned) */
  allowUnsigned?: boolean;
  /** the flag that would let this through, named in the refusal */
  allowFlag?: string;
  concurrency?: number;
}

interface Key {
  /** what cosign is given: an absolute path or env://VAR */
  ref: string;
  fingerprint: string;
  /** how the key is shown: a path relative to the working directory */
  shown: string;
  /** the private key of the pair, for the `cosign sign` hint */
  signKey: string;
}

export async function verifyRelease(app: App, release: Release, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const subjects = Object.entries(release.services).map(([service, s]) => ({ service, image: s.image, digest: s.digest }));
  return verifySubjects(app, subjects, opts);
}

export async function verifySubjects(app: App, subjects: Subject[], opts: VerifyOptions = {}): Promise<VerifyReport> {
  if (!app.verifyKey) return { key: null, verified: 0, cached: 0, unsigned: [] };
  const key = loadKey(app.verifyKey);
  const cache = SignatureCache.load(app.stateDir);
  const refs = [...new Set(subjects.map(refOf))];
  const limit = pLimit(opts.concurrency ?? 8);
  let cached = 0;
  const failures = new Map<string, VerifyFailure>();
  await Promise.all(
    refs.map((ref) =>
      limit(async () => {
        if (cache.has(ref, key.fingerprint)) return void cached++;
        const failure = await cosignVerify(key, ref);
        if (failure) failures.set(ref, failure);
        else cache.remember(ref, key.fingerprint);
      }),
    ),
  );
  cache.save();
  const unsigned = subjects.flatMap((s) => {
    const failure = failures.get(refOf(s));
    return failure ? [{ ...s, failure, fix: formatCommand(cosignCmd.sign(key.signKey, refOf(s))) }] : [];
  });
  if (unsigned.length && !opts.allowUnsigned) throw new SignatureError(unsigned, key.shown, opts.allowFlag);
  return { key: key.shown, verified: refs.length - failures.size, cached, unsigned };
}

const refOf = (s: Pick<Subject, "image" | "digest">) => `${s.image}@${s.digest}`;

async function cosignVerify(key: Key, ref: string): Promise<VerifyFailure | null> {
  const cmd = cosignCmd.verify(key.ref, ref);
  const out = await run(cmd, { allowFailure: true });
  if (out.exitCode === 0) return null;
  const failure = classifyVerifyFailure(out.stderr);
  if (failure) return failure;
  const fault = classifyRegistryText(out.stderr);
  const host = ref.split("/")[0] ?? ref;
  if (fault !== "other") throw new RegistryError(fault, host, `cosign verify ${ref}: ${lastLine(out.stderr).replace(/^Error:\s*/, "")}`);
  throw new ToolError(cmd.tool, cmd.argv, out.exitCode, out.stderr);
}

/** The key's bytes give the cache its fingerprint; a key that cannot be read is bad config (exit 2). */
function loadKey(ref: string): Key {
  if (ref.startsWith("env://")) {
    const name = ref.slice("env://".length);
    const pem = process.env[name];
    if (!pem) throw new UsageError(`verify key ${ref}: $${name} is not set`, `export ${name} with the cosign public key (PEM)`);
    return { ref, fingerprint: fingerprint(pem), shown: ref, signKey: "env://COSIGN_PRIVATE_KEY" };
  }
  let pem: string;
  try {
    pem = fs.readFileSync(ref, "utf8");
  } catch {
    throw new UsageError(`verify key ${ref} not found`, "fix apps.<app>.verify.cosign.key (a path relative to pinroll.yml, or env://VAR)");
  }
  const shown = relative(ref);
  return { ref, fingerprint: fingerprint(pem), shown, signKey: shown.endsWith(".pub") ? `${shown.slice(0, -4)}.key` : "cosign.key" };
}

function fingerprint(pem: string): string {
  return createHash("sha256").update(pem.trim()).digest("hex").slice(0, 32);
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}
