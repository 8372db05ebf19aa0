// The demo (after scripts/demo.sh has run setup): from a human reading the registry to a deploy, a second deploy and
// a rollback on this machine (the `web` group of ansible/inventory/local.yml). Every step is a Task target.
// A zx script; it reads overview's --json, never its table.
import { $, chalk, echo } from "zx";

$.verbose = false;
const step = async (...args: string[]) => {
  echo(`\n${chalk.bold(`$ task ${args.join(" ")}`)}`);
  await $({ stdio: "inherit" })`task ${args}`;
};

await step("registry:up");
await step("sample:publish");
await step("application:overview");
const overview = JSON.parse((await $`node dist/cli/pinroll.cjs overview --json`).stdout) as { tags: { tag: string; immutable: boolean }[] };
const [newest, previous] = overview.tags.filter((t) => t.immutable).map((t) => t.tag);
if (!newest || !previous) throw new Error("the demo needs two sample tags; task sample:publish made fewer");
await step("deploy", `TAG=${previous}`);
await step("deploy", `TAG=${newest}`);
await step("application:overview");
await step("rollback", "--", "--list");
await step("rollback", "N=2");
await step("version");
const answer = await fetch("http://127.0.0.1:18080/").then((r) => r.text());
echo(`\nThe app answers on http://127.0.0.1:18080/: ${answer.trim()}`);
