// Runs a terminal program in a real pty under tmux, so tests can press keys and read the screen like a user would.
// A private server per test process (`-L`, no config file) never touches the user's own tmux sessions.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SOCKET = `pinroll-test-${process.pid}`;
// The pane lingers this long after the command ends so its last screen can still be read; kill() ends it sooner.
const LINGER_SECONDS = 30;
let sessions = 0;
let live = 0;
let socketPath = "";

export interface TmuxOptions {
  cwd?: string;
  /** added to the environment of the test process */
  env?: Record<string, string>;
  width?: number;
  height?: number;
}

export interface TmuxSession {
  name: string;
  /** tmux key names ("Down", "Enter", "Escape", "C-c") or literal text ("q") */
  sendKeys: (...keys: string[]) => Promise<void>;
  /** the visible screen as plain text (with `escapes`, keeping colour and attributes as SGR codes), trailing blank lines dropped */
  screen: (opts?: { escapes?: boolean }) => Promise<string>;
  /** polls the screen every 100 ms until it contains `text`; throws with the last screen after `timeoutMs` */
  waitFor: (text: string | RegExp, timeoutMs?: number) => Promise<string>;
  /** waits for the command to end and returns its exit status */
  exitCode: (timeoutMs?: number) => Promise<number>;
  /** a tmux format about the pane, e.g. "#{cursor_flag}" */
  display: (format: string) => Promise<string>;
  kill: () => Promise<void>;
}

/** argv -> one POSIX shell word each, single-quoted ('it'\''s'). */
export function shellQuote(argv: string[]): string {
  return argv.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
}

async function tmux(...args: string[]): Promise<string> {
  const env = { ...process.env };
  delete env.TMUX; // tests started from inside tmux must still reach only the private server
  const { stdout } = await run("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { env });
  return stdout;
}

async function poll<R>(timeoutMs: number, check: () => Promise<R | undefined>, describe: () => Promise<string>): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function screenOf(name: string, escapes = false): Promise<string> {
  const text = await tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", name).catch(
    (err: Error) => `(no screen: ${err.message})`,
  );
  return text.replace(/\s+$/, "");
}

export async function startTmux(command: string[], opts: TmuxOptions = {}): Promise<TmuxSession> {
  const name = `t${++sessions}-${Math.random().toString(36).slice(2, 8)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-tmux-"));
  const exitFile = path.join(dir, "exit");
  // `sh -c` as separate argv, so tmux execs it directly and the user's default-shell (fish, ...) plays no part.
  const script = `${shellQuote(command)}; echo "EXIT:$?" > ${shellQuote([exitFile])}; sleep ${LINGER_SECONDS}`;
  const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const size = ["-x", String(opts.width ?? 100), "-y", String(opts.height ?? 30)];
  live++; // counted before the server starts, so a concurrent kill() of the last session does not stop it under us
  await tmux("new-session", "-d", "-s", name, ...size, "-c", opts.cwd ?? process.cwd(), ...envArgs, "sh", "-c", script);
  socketPath ||= (await tmux("display-message", "-p", "-t", name, "#{socket_path}")).trim();
  let killed = false;

  const timedOut = async (what: string) => `tmux ${name}: ${what}\n--- screen ---\n${await screenOf(name)}`;
  const session: TmuxSession = {
    name,
    async sendKeys(...keys) {
      await tmux("send-keys", "-t", name, ...keys);
    },
    screen: (o) => screenOf(name, o?.escapes),
    async waitFor(text, timeoutMs = 10_000) {
      const matches = (s: string) => (typeof text === "string" ? s.includes(text) : text.test(s));
      return poll(
        timeoutMs,
        async () => {
          const s = await screenOf(name);
          return matches(s) ? s : undefined;
        },
        () => timedOut(`${String(text)} not on screen after ${timeoutMs} ms`),
      );
    },
    async exitCode(timeoutMs = 10_000) {
      return poll(
        timeoutMs,
        async () => {
          const m = /EXIT:(\d+)/.exec(fs.existsSync(exitFile) ? fs.readFileSync(exitFile, "utf8") : "");
          return m ? Number(m[1]) : undefined;
        },
        () => timedOut(`${shellQuote(command)} still running after ${timeoutMs} ms`),
      );
    },
    async display(format) {
      return (await tmux("display-message", "-p", "-t", name, format)).trim();
    },
    async kill() {
      if (killed) return;
      killed = true;
      await tmux("kill-session", "-t", name).catch(() => undefined); // already gone is fine
      fs.rmSync(dir, { recursive: true, force: true });
      // tmux leaves its socket file behind when the server exits; remove it with the last session
      if (--live === 0) {
        await tmux("kill-server").catch(() => undefined);
        fs.rmSync(socketPath, { force: true });
      }
    },
  };
  return session;
}
