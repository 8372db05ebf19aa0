// Python's shlex.split (POSIX mode), which Ansible's ssh plugin uses for ansible_ssh_common_args / _extra_args
// (issue 8 §5). The npm `shlex` port also reads bash's $'..' and $".." quotes, which Python does not, so this is
// a port of CPython's state machine itself; test/unit/tools/shlex.test.ts compares it with the real Python.
import { UsageError } from "../errors.js";

const WHITESPACE = " \t\r\n";

/** Shell words as Python's shlex.split(s) returns them; an unclosed quote or a final backslash is bad input. */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false; // a word has started (an empty quoted '' is still a word)
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\") {
        const next = s[++i];
        if (next === undefined) throw new UsageError(`no closing quotation in ${JSON.stringify(s)}`);
        // inside "..." a backslash escapes only " and itself; before anything else it stays
        word += next === '"' || next === "\\" ? next : `\\${next}`;
      } else word += c;
    } else if (WHITESPACE.includes(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      const next = s[++i];
      if (next === undefined) throw new UsageError(`no escaped character after the final backslash in ${JSON.stringify(s)}`);
      word += next;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`no closing quotation in ${JSON.stringify(s)}`);
  if (inWord) words.push(word);
  return words;
}

/** Ansible's `_split_ssh_args`: shlex words, each stripped, empty ones dropped. */
export function splitSshArgs(s: string): string[] {
  return shlexSplit(s)
    .map((w) => w.trim())
    .filter(Boolean);
}
