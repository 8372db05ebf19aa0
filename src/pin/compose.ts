// `image:` values of a compose file with their exact source ranges: the file is never re-serialised (issue 4),
// so comments, quoting, key order and line endings survive; only the digest is spliced in.
import YAML, { isAlias, isMap, isScalar, isSeq, type Document, type YAMLMap } from "yaml";
import type { EnvFile } from "./env-file.js";
import { interpolate, type Vars } from "./interpolate.js";
import { checkedRef, digestSlot, lineAt, type FoundRef } from "./refs.js";

export { interpolate } from "./interpolate.js";

/** The variables interpolation reads and the env files they were read from (a digest may be written there). */
export interface ComposeVars {
  vars: Vars;
  files: EnvFile[];
}

export function findComposeRefs(text: string, env: ComposeVars = { vars: new Map(), files: [] }): FoundRef[] {
  const doc = YAML.parseDocument(text);
  const first = doc.errors[0];
  if (first) throw new Error(`not valid YAML: ${first.message.split("\n")[0]!.replace(/:$/, "")}`);
  const services = doc.get("services", true);
  if (!isMap(services)) return [];
  const refs: FoundRef[] = [];
  const seen = new Set<unknown>();
  for (const pair of services.items) {
    const service = resolveNode(doc, pair.value);
    if (!isMap(service)) continue;
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const image = lookup(doc, service, "image");
    const build = lookup(doc, service, "build");
    const keyAt = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
    if (build !== undefined && (!isScalar(image) || image.value === null)) {
      const skip = `service ${name} is built here (build: ${buildContext(build)}), no image to pin`;
      refs.push({ line: lineAt(text, keyAt), ref: "", kind: "compose-image", skip });
      continue;
    }
    if (!isScalar(image) || seen.has(image)) continue;
    seen.add(image);
    const buildSkip = build === undefined ? null : `service ${name} builds this image (build:); it is the build output`;
    refs.push(imageRef(text, image, buildSkip, env));
  }
  return refs;
}

function imageRef(text: string, node: YAML.Scalar, buildSkip: string | null, env: ComposeVars): FoundRef {
  const [start, valueEnd] = node.range ?? [0, 0];
  // Trimmed: a block scalar (`image: |`) keeps its final newline, and the digest goes before it.
  const raw = typeof node.value === "string" ? node.value.trim() : "";
  const vars = interpolate(raw, env.vars);
  const base = { line: lineAt(text, start), ref: vars.value, kind: "compose-image" as const };
  if (buildSkip) return { ...base, skip: buildSkip };
  if (!raw) return { ...base, ref: String(node.value ?? ""), skip: "image: is empty or not a string" };
  if (vars.error) return { ...base, ref: raw, skip: vars.error };
  if (vars.unresolved.length) {
    const where = ["the file", ...env.files.map((f) => f.file)].join(" or in ");
    return { ...base, ref: raw, skip: `uses \${${vars.unresolved.join("}, ${")}} with no default in ${where}` };
  }
  // The value ends in an env file (`IMAGE=nginx:1.27` in .env): the digest goes there, where it is defined.
  const envText = env.files.find((f) => f.file === vars.tail?.file)?.text;
  if (vars.tail && envText !== undefined) return checkedRef(base, { file: vars.tail.file, ...digestSlot(envText, vars.tail.at) });
  const at = text.slice(start, valueEnd).lastIndexOf(raw);
  // A double-quoted value with escapes, or a folded plain scalar, has no contiguous source text to splice into.
  if (at < 0) return { ...base, skip: "written in a form pinroll cannot rewrite in place (escapes or line folding)" };
  return checkedRef(base, digestSlot(text, start + at + vars.end));
}

function resolveNode(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** A key of a map, looking through `<<: *anchor` merges the way compose does. */
function lookup(doc: Document, map: YAMLMap, key: string, depth = 0): unknown {
  const own = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (own) return resolveNode(doc, own.value);
  if (depth > 5) return undefined;
  for (const pair of map.items.filter((p) => isScalar(p.key) && p.key.value === "<<")) {
    const value = resolveNode(doc, pair.value);
    const sources = isSeq(value) ? value.items.map((i) => resolveNode(doc, i)) : [value];
    for (const source of sources) {
      const found = isMap(source) ? lookup(doc, source, key, depth + 1) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function buildContext(build: unknown): string {
  if (isScalar(build)) return String(build.value);
  if (isMap(build)) return String(build.get("context") ?? ".");
  return ".";
}
