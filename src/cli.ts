// Options only (STYLE.md 3): each action loads its command module lazily and hands it the parsed options.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { EXIT, PinrollError, errorLine, type ProcessExit } from "./errors.js";
import { setVerbose } from "./tools/run.js";

type Opts = Record<string, unknown>;

// Kept in step with package.json by test/unit/cli/cli.test.ts.
export const PINROLL_VERSION = "0.1.0";

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number, 1 or more");
  return Number(value);
}

/** A repeatable option's values, in the order given. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Where the action that ran left its exit code: adapters return it, nothing sets `process.exitCode`. */
export interface Outcome {
  code: ProcessExit;
}

export function buildProgram(outcome: Outcome = { code: EXIT.ok }): Command {
  const done = (code: ProcessExit): void => {
    outcome.code = code;
  };
  const program = new Command("pinroll")
    .description("Deploy Docker Compose apps by digest, record every release, roll back in seconds.")
    .option("--config <path>", "pinroll.yml to read (default ./pinroll.yml or $PINROLL_CONFIG)")
    .option("--verbose", "print every command run, and stack traces")
    .version(PINROLL_VERSION, "--version", "print pinroll's version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.hook("preAction", () => setVerbose(Boolean(program.opts().verbose)));

  program
    .command("overview [app]")
    .description("tags of the app image with created time and commit subject, → on the one deployed")
    .option("--json", "machine output (DESIGN.md shape)")
    .option("--limit <n>", "show the newest N SHA tags", positiveInt)
    .option("--refresh", "drop the digest cache and read everything again")
    .option("--platform <os/arch>", "platform whose labels a multi-arch index shows (default: the app's)")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/overview.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("deploy")
    .argument("<app>", "app name (may be left out when pinroll.yml has one app)")
    .argument("[tag]", "tag (e.g. 6350192) or digest (sha256:...)")
    .description("resolve the tag to its digest, pin it on every host of the app, verify, record")
    .option("--json", "machine output")
    .option("--dry-run", "print the rendered files and the exact command; change nothing")
    .option("--allow-mutable", "allow a tag outside tag_pattern (latest, env-*)")
    .option("--yes", "do not ask for confirmation on a terminal")
    .option("--changelog-limit <n>", "commit subjects listed per service (default 20)", positiveInt)
    .action(async (a: string | undefined, t: string | undefined, opts: Opts) => {
      const [app, tag] = t === undefined ? [undefined, a] : [a, t];
      return done(await (await import("./cli/deploy.js")).run(app, tag ?? "", { ...program.opts(), ...opts }));
    });

  program
    .command("rollback")
    .argument("[app]", "app name (may be left out when pinroll.yml has one app)")
    .argument("[n]", "entry N of --list (1 is the newest)")
    .description("put a recorded release back: arrow-key picker on a terminal, N to pick, --list to list")
    .option("--list", "list the history, newest first")
    .option("--json", "machine output")
    .option("--dry-run", "print what would be deployed; change nothing")
    .option("--allow-unsigned", "roll back to digests without a valid signature for the verify key (recorded, warned)")
    .option("--yes", "do not ask for confirmation on a terminal")
    .option("--changelog-limit <n>", "commit subjects listed per service (default 20)", positiveInt)
    .action(async (a: string | undefined, b: string | undefined, opts: Opts) => {
      const [app, n] = b === undefined && a !== undefined && /^\d+$/.test(a) ? [undefined, a] : [a, b];
      return done(await (await import("./cli/rollback.js")).run(app, n, { ...program.opts(), ...opts }));
    });

  program
    .command("version [app]")
    .description("the pinned release on each host (from deploy-info.yml)")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/version.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("update [app]")
    .description("resolve each pinned service's mutable tag (latest) to the commit-SHA tag on the same digest, then deploy")
    .option("--check", "show current vs available; change nothing")
    .option("--exit-code", "with --check: exit 1 when something would change")
    .option("--json", "machine output")
    .option("--dry-run", "print the release and the plan; change nothing")
    .option("--yes", "do not ask for confirmation on a terminal")
    .option("--changelog-limit <n>", "commit subjects listed per service (default 20)", positiveInt)
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/update.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("pin")
    .argument("<files...>", "compose files and Dockerfiles")
    .description("pin image: in compose files and FROM in Dockerfiles to name:tag@sha256:..., keeping the rest byte for byte")
    .option("--check", "exit 1 listing every unpinned reference (a CI gate)")
    .option("--update", "re-resolve pinned references; rewrite those whose tag moved")
    .option("--dry-run", "print a unified diff; write nothing")
    .option("--json", "machine output")
    .option("--platform <os/arch>", "pin one platform's manifest instead of the multi-arch index")
    .option(
      "--env-file <file>",
      "read compose variables from this file instead of the .env beside each compose file (repeatable)",
      collect,
      [],
    )
    .action(async (files: string[], opts: Opts) => done(await (await import("./cli/pin.js")).run(files, { ...program.opts(), ...opts })));

  program
    .command("promote")
    .argument("<app>", "app name")
    .argument("<tag>", "the tested tag (matching tag_pattern)")
    .argument("<env>", "environment: the digest becomes env-<env>")
    .description("retag the tested digest as env-<env> (crane, no pull or push of layers), after policy checks")
    .option("--force", "skip the environment order check")
    .option("--json", "machine output")
    .option("--dry-run", "say what would be retagged; change nothing")
    .action(async (app: string, tag: string, env: string, opts: Opts) =>
      done(await (await import("./cli/promote.js")).run(app, tag, env, { ...program.opts(), ...opts })),
    );

  program
    .command("verify-promotion")
    .argument("<app>", "app name")
    .argument("<env>", "environment")
    .argument("<tag>", "the approved tag")
    .description("exit 0 when env-<env> points at the same digest as TAG, 1 otherwise")
    .option("--json", "machine output")
    .action(async (app: string, env: string, tag: string, opts: Opts) =>
      done(await (await import("./cli/promote.js")).verify(app, env, tag, { ...program.opts(), ...opts })),
    );

  program
    .command("policy")
    .description("image reference policy")
    .command("check")
    .argument("[files...]", "compose files, Dockerfiles, rendered overrides (default: the app's compose file)")
    .description("check image references against the app's policy: registries, tag pattern, no latest in production, digests")
    .option("--app <app>", "whose policy (default: the only app)")
    .option(
      "--env-file <file>",
      "read compose variables from this file instead of the .env beside each compose file (repeatable)",
      collect,
      [],
    )
    .option("--json", "machine output")
    .action(async (files: string[], opts: Opts) =>
      done(await (await import("./cli/policy.js")).run(files, { ...program.opts(), ...opts })),
    );

  program
    .command("prune [app]")
    .description("registry tags not deployed anywhere, not in the newest releases, not env-* or vX.Y.Z, old enough: dry run unless --yes")
    .option("--yes", "delete them")
    .option("--keep <n>", "newest history releases to keep (default: prune.keep or 10)")
    .option("--min-age <duration>", "only tags older than this, e.g. 7d (default: prune.min_age or 7d)")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/prune.js")).run(app, { ...program.opts(), ...opts })),
    );

  const lock = program.command("lock").description("the app's deploy lock on each host: who holds it, hold it by hand, release it");
  lock
    .command("status [app]")
    .description("per host: free, or held by whom (user@controller, pid, since, command, message) and whether the holder is gone")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/lock.js")).status(app, { ...program.opts(), ...opts })),
    );
  lock
    .command("acquire [app]")
    .description("hold the app's lock on every host by hand (maintenance): deploys are refused until it is released")
    .requiredOption("-m, --message <msg>", "why, shown to whoever is refused")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/lock.js")).acquire(app, { ...program.opts(), ...opts })),
    );
  lock
    .command("release [app]")
    .description("release your own lock on every host; --force releases anyone's and says whose")
    .option("--force", "release another's lock (a holder that is gone)")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/lock.js")).release(app, { ...program.opts(), ...opts })),
    );

  program
    .command("history [app]")
    .description("every release on every host merged, newest first: when, kind, who, tags, digests, which hosts have it")
    .option("--host <host>", "only this inventory host")
    .option("--limit <n>", "the newest N entries", positiveInt)
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/history.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("doctor [app]")
    .description("check what a deploy needs (tools, pinroll.yml, registry, hosts, locks, healthcheck) and say how to fix each failure")
    .option("--json", "machine output")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/doctor.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("dashboard [app]")
    .description("one self-contained HTML page: per app the live release per host, drift, env-* tags, history, newest tags")
    .option("--out <file>", "write the page to FILE (atomically)")
    .option("--serve", "serve the page read-only on 127.0.0.1, rebuilt on reload (at most every 5 s)")
    .option("--port <n>", "with --serve: the port (default 8088)", positiveInt)
    .option("--limit <n>", "newest SHA tags to show (default 20)", positiveInt)
    .option("--check-updates", "also show update --check's available tag per pinned service")
    .option("--json", "the data the page is made from")
    .action(async (app: string | undefined, opts: Opts) =>
      done(await (await import("./cli/dashboard.js")).run(app, { ...program.opts(), ...opts })),
    );

  program
    .command("init [compose-file]")
    .description("scaffold pinroll.yml, an inventory and a Taskfile include for an existing compose project; never overwrites")
    .action(async (file: string | undefined, opts: Opts) =>
      done(await (await import("./cli/init.js")).run(file, { ...program.opts(), ...opts })),
    );

  program
    .command("ci-meta")
    .description("tags and OCI labels for a CI build, from git")
    .addOption(new Option("--format <format>", "output format").choices(["json", "docker-args", "github-output"]).default("json"))
    .option("--image <repo>", "image repository, to print full image:tag refs")
    .option("--env <env>", "also tag env-<env>")
    .option("--source <url>", "org.opencontainers.image.source (default: the origin remote, credentials dropped)")
    .option("--dir <path>", "the git checkout (default: current directory)")
    .option("--rev <commit>", "the commit to describe (default: HEAD)")
    .option("--sign-key <key>", "cosign private key (path or env://VAR): print the signing step (sign / sign_command)")
    .action(async (opts: Opts) => done(await (await import("./cli/ci-meta.js")).run(opts)));

  return program;
}

/** Runs the CLI and returns the exit code; the one place errors become `error: ...` lines. */
export async function main(argv: string[]): Promise<ProcessExit> {
  const outcome: Outcome = { code: EXIT.ok };
  const program = buildProgram(outcome);
  try {
    await program.parseAsync(argv, { from: "user" });
    return outcome.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) return EXIT.ok;
      return EXIT.usage; // commander already printed its one-line error
    }
    const verbose = argv.includes("--verbose");
    for (const line of errorLine(err).split("\n")) process.stderr.write(`error: ${line.trimStart()}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    if (err instanceof PinrollError) return err.exitCode;
    if (!verbose) process.stderr.write("(an unexpected fault: run again with --verbose for the stack trace)\n");
    return EXIT.failed;
  }
}
