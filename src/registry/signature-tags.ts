// cosign's tags beside an image (issue 12): `sha256-<hex>.sig` (signatures), `.att` (attestations), `.sbom` (SBOMs),
// each naming the image digest it belongs to. They are never deployable tags: overview, update and pin skip them,
// and prune deletes them only together with their image.

const SIGNATURE_TAG = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/;

export type SignatureKind = "sig" | "att" | "sbom";

export interface SignatureTag {
  tag: string;
  /** the image digest it belongs to */
  subject: string;
  kind: SignatureKind;
}

export function isSignatureTag(tag: string): boolean {
  return SIGNATURE_TAG.test(tag);
}

export function parseSignatureTag(tag: string): SignatureTag | null {
  const m = tag.startsWith("sha256-") ? SIGNATURE_TAG.exec(tag) : null; // most tags are not: no regex run for them
  return m ? { tag, subject: `sha256:${m[1]}`, kind: m[2] as SignatureKind } : null;
}

/** The tag cosign pushes a digest's signature under. */
export function signatureTagOf(digest: string, kind: SignatureKind = "sig"): string {
  return `${digest.replace(":", "-")}.${kind}`;
}

/** Splits a tag listing into image tags and cosign's tags, the latter grouped by the image digest they belong to. */
export function splitSignatureTags(tags: string[]): { images: string[]; signatures: Map<string, SignatureTag[]> } {
  const images: string[] = [];
  const signatures = new Map<string, SignatureTag[]>();
  for (const tag of tags) {
    const sig = parseSignatureTag(tag);
    if (!sig) images.push(tag);
    else signatures.set(sig.subject, [...(signatures.get(sig.subject) ?? []), sig]);
  }
  return { images, signatures };
}
