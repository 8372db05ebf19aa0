// Where a secret must never show up (issue 9): files under a tree, and every process's arguments while something runs.
import fs from "node:fs";
import path from "node:path";

/** Files under `dir` whose content contains `secret` (or its base64 form, as in a Docker config's auth). */
export function filesContaining(dir: string, secret: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const b64 = Buffer.from(secret).toString("base64").slice(0, 12);
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .filter((f) => {
      const text = fs.readFileSync(f, "utf8");
      return text.includes(secret) || text.includes(b64);
    });
}

/**
 * Samples /proc/PID/cmdline of every process every few ms until stopped: the command lines holding `secret`, and
 * which of `markers` (e.g. "docker login") were seen at all, so a sampler that saw nothing cannot pass.
 */
export function watchProcessArgs(secret: string, markers: string[]): { stop: () => { hits: string[]; seen: string[] } } {
  const hits = new Set<string>();
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let cmdline: string;
      try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue; // gone meanwhile
      }
      if (cmdline.includes(secret)) hits.add(cmdline);
      for (const m of markers) if (cmdline.includes(m)) seen.add(m);
    }
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return { hits: [...hits], seen: [...seen].sort() };
    },
  };
}
