// cosign argv builders (STYLE.md 1: commands are data) and what its verify output means (issue 12).
// Keyed and offline: signatures live in the registry beside the image; no transparency log is written or read.
import type { Command } from "./run.js";

const cosign = (...argv: string[]): Command => ({ tool: "cosign", argv });

export const cosignCmd = {
  /** `key`: a public key file, or env://VAR; exit 0 only when REF carries a valid signature for it */
  verify: (key: string, ref: string) => cosign("verify", "--key", key, "--insecure-ignore-tlog=true", ref),
  /** `key`: the private key (its password in COSIGN_PASSWORD); pushes sha256-<hex>.sig beside REF */
  sign: (key: string, ref: string) => cosign("sign", "--key", key, "--tlog-upload=false", "--yes", ref),
  /** writes cosign.key and cosign.pub into `cwd` (password from COSIGN_PASSWORD) */
  generateKeyPair: (cwd: string, password = ""): Command => ({ ...cosign("generate-key-pair"), cwd, env: { COSIGN_PASSWORD: password } }),
};

export type VerifyFailure = "unsigned" | "bad-signature";

/** A failed `cosign verify`: no signature at all, or none valid for the key; null for any other fault (registry, key file). */
export function classifyVerifyFailure(stderr: string): VerifyFailure | null {
  if (/no signatures found/i.test(stderr)) return "unsigned";
  if (/no matching signatures|invalid signature|signature.*(mismatch|verification failed)/i.test(stderr)) return "bad-signature";
  return null;
}
