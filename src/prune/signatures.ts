// cosign's tags go with their image (issue 12): once an image is deleted, its sha256-<hex>.sig|.att|.sbom tags are
// deleted by their own manifest digest; a signature of an image that stays is never touched.
import { InternalError, RegistryError, errorLine } from "../errors.js";
import { RegistryClient } from "../registry/http.js";
import { repoName, type ImageRef } from "../image/ref.js";
import type { SignatureTag } from "../registry/signature-tags.js";
import { deleteCommand } from "./delete.js";
import { runCrane } from "../tools/crane.js";

export interface DeletedSignature {
  tag: string;
  /** the signature manifest's own digest */
  digest: string;
  /** the image digest it signed */
  of: string;
}

export interface SignatureOutcome {
  deleted: DeletedSignature[];
  failed: { tag: string; of: string; error: string }[];
}

/** `deletedImages`: digests whose manifests were just deleted; `protectedDigests` is checked again, as for images. */
export async function deleteSignatures(
  image: ImageRef,
  signatures: Map<string, SignatureTag[]>,
  deletedImages: Set<string>,
  protectedDigests: Set<string>,
): Promise<SignatureOutcome> {
  const out: SignatureOutcome = { deleted: [], failed: [] };
  const client = new RegistryClient(image.registry, image.repository);
  const repo = repoName(image);
  for (const of of deletedImages) {
    if (protectedDigests.has(of)) throw new InternalError(`refusing to delete the signatures of protected ${of}`);
    for (const sig of signatures.get(of) ?? []) {
      try {
        const digest = await client.digest(sig.tag);
        if (protectedDigests.has(digest)) throw new InternalError(`${sig.tag} points at protected ${digest}`);
        await runCrane(deleteCommand(repo, digest));
        out.deleted.push({ tag: sig.tag, digest, of });
      } catch (err) {
        if (!(err instanceof RegistryError)) throw err;
        out.failed.push({ tag: sig.tag, of, error: errorLine(err) });
      }
    }
  }
  return out;
}
