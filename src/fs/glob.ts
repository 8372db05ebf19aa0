// Glob matching for pinroll.yml's globs (apps.<app>.pin, policy.production_files, policy.allowed_registries) with
// standard glob semantics through picomatch (issue 10): `*` stays in one segment, `**/` also matches at the top, braces.
import picomatch from "picomatch";

export interface GlobOptions {
  /** a glob without "/" matches the last path segment (production_files: `*.prod.yml` anywhere) */
  basename?: boolean;
}

export function globMatcher(glob: string, opts: GlobOptions = {}): (value: string) => boolean {
  // dot: a gate must not miss `.hidden/compose.yml`; posix: image names and config paths always use "/".
  const match = picomatch(glob, { dot: true, posix: true });
  // Not picomatch's own `basename` option: 4.0 applies it to globs with "/" too.
  if (!opts.basename || glob.includes("/")) return match;
  return (value) => match(value.slice(value.lastIndexOf("/") + 1));
}

/** True when the text has glob syntax (`*`, `?`, braces, ...), false for a plain name. */
export function isGlob(text: string): boolean {
  return picomatch.scan(text).isGlob;
}
