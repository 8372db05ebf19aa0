// The shell patterns of `${V#p}` `${V##p}` `${V%p}` `${V%%p}`: `*` any run, `?` one char, the escape char makes
// the next char literal (BuildKit lex.go convertShellPatternToRegex); shortest match, or longest when greedy.

function patternRegExp(pattern: string, escape: string): RegExp {
  let body = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") body += "[\\s\\S]*";
    else if (ch === "?") body += "[\\s\\S]";
    else if (ch === escape && i + 1 < pattern.length) body += escapeRegExp(pattern[++i]!);
    else body += escapeRegExp(ch);
  }
  return new RegExp(`^${body}$`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `${V#p}` / `${V##p}`: removes the shortest (longest when greedy) prefix matching the pattern. */
export function trimPrefix(value: string, pattern: string, greedy: boolean, escape = "\\"): string {
  const re = patternRegExp(pattern, escape);
  for (let k = 0; k <= value.length; k++) {
    const n = greedy ? value.length - k : k;
    if (re.test(value.slice(0, n))) return value.slice(n);
  }
  return value;
}

/** `${V%p}` / `${V%%p}`: removes the shortest (longest when greedy) suffix matching the pattern. */
export function trimSuffix(value: string, pattern: string, greedy: boolean, escape = "\\"): string {
  const re = patternRegExp(pattern, escape);
  for (let k = 0; k <= value.length; k++) {
    const n = greedy ? k : value.length - k;
    if (re.test(value.slice(n))) return value.slice(0, n);
  }
  return value;
}
