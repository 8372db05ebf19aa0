// `image:` values of a compose file with their exact source ranges: the file is never re-serialised (issue 4),
// so comments, quoting, key order and line endings survive; only the digest is spliced in.
import YAML, { isAlias, isMap, isScalar, isSeq, type Document, type YAMLMap } from "yaml";
import { checkedRef, digestSlot, lineAt, type FoundRef } from "./refs.js";

/** Compose interpolation of one value: `${VAR:-default}` / `${VAR-default}` become the default, anything else is unresolved. */
export interface Interpolated {
  value: string;
  unresolved: string[];
  /** offset in the raw text where the reference ends: before the `}` of a trailing `${VAR:-default}` */
  end: number;
}

const VARIABLE = /\$(?:\{(\w+)(:?-)([^}$]*)\}|\{([^}]*)\}|(\w+)|(\$))/g;

export function interpolate(raw: string): Interpolated {
  const unresolved: string[] = [];
  let end = raw.length;
  const value = raw.replace(VARIABLE, (whole, _name, _op, fallback: string | undefined, braced, bare, dollar, at: number) => {
    if (fallback !== undefined) {
      // The pin goes inside a trailing default, so setting the variable replaces the pin too (issue 4).
      if (at + whole.length === raw.length) end = raw.length - 1;
      return fallback;
    }
    if (dollar) return "$";
    unresolved.push(String(bare ?? /^\w*/.exec(String(braced))?.[0] ?? braced));
    return whole;
  });
  return { value, unresolved, end };
}

export function findComposeRefs(text: string): FoundRef[] {
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
    refs.push(imageRef(text, image, build === undefined ? null : `service ${name} builds this image (build:); it is the build output`));
  }
  return refs;
}

function imageRef(text: string, node: YAML.Scalar, buildSkip: string | null): FoundRef {
  const [start, valueEnd] = node.range ?? [0, 0];
  // Trimmed: a block scalar (`image: |`) keeps its final newline, and the digest goes before it.
  const raw = typeof node.value === "string" ? node.value.trim() : "";
  const vars = interpolate(raw);
  const base = { line: lineAt(text, start), ref: vars.value, kind: "compose-image" as const };
  if (buildSkip) return { ...base, skip: buildSkip };
  if (!raw) return { ...base, ref: String(node.value ?? ""), skip: "image: is empty or not a string" };
  if (vars.unresolved.length) return { ...base, ref: raw, skip: `uses \${${vars.unresolved.join("}, ${")}} with no default in the file` };
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
