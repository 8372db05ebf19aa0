// The services of a compose file and which of them pinroll pins (DESIGN.md: pinned service).
import fs from "node:fs";
import YAML from "yaml";
import { globMatcher, isGlob } from "../fs/glob.js";
import { UsageError } from "../errors.js";
import { parseRef, repoName, type ImageRef } from "../image/ref.js";

export interface ComposeService {
  service: string;
  /** image: as written */
  image?: string;
}

export interface PinnedService {
  service: string;
  written: string;
  ref: ImageRef;
}

export function readComposeServices(file: string): ComposeService[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`compose file ${file} not found`, "fix apps.<app>.compose in pinroll.yml");
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new UsageError(`compose file ${file} is not valid YAML: ${doc.errors[0]?.message.split("\n")[0]}`);
  const services = (doc.toJS() as { services?: Record<string, { image?: unknown } | null> } | null)?.services ?? {};
  return Object.entries(services).map(([service, def]) => ({
    service,
    ...(typeof def?.image === "string" ? { image: def.image } : {}),
  }));
}

export function matchesPin(ref: ImageRef, written: string, globs: string[]): boolean {
  const name = repoName(ref);
  const writtenRepo = written.split("@")[0]!.replace(/:[^/:]*$/, "");
  return globs.some((g) => {
    const matches = globMatcher(g);
    // A plain name (`postgres`) also matches its normalised form (docker.io/library/postgres).
    const plain = isGlob(g) ? undefined : parseRefSafe(g);
    return matches(name) || matches(writtenRepo) || (plain !== undefined && repoName(plain) === name);
  });
}

function parseRefSafe(s: string): ImageRef | undefined {
  try {
    return parseRef(s);
  } catch {
    return undefined;
  }
}

/** Services whose image matches a pin glob; `${VAR:-default}` resolves to its default. */
export function pinnedServices(services: ComposeService[], globs: string[]): PinnedService[] {
  return services.flatMap((s) => {
    if (!s.image) return [];
    const written = s.image.replace(/\$\{\w+:?-([^}]*)\}/g, "$1");
    const ref = parseRefSafe(written);
    return ref && matchesPin(ref, written, globs) ? [{ service: s.service, written, ref }] : [];
  });
}
