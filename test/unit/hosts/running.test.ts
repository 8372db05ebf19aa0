// The running-digest rule is one rule (issue 10): pinroll's runsDigest and lib.sh's on_digest, which the deploy's
// verify applies on the host, give the same answer on the same repo digests.
import { describe, expect, it } from "vitest";
import { parseRunning, runsDigest } from "../../../src/hosts/running.js";
import { roleScript } from "../../../src/paths.js";
import { run } from "../../../src/tools/run.js";

const D = `sha256:${"ab".repeat(32)}`;
const OTHER = `sha256:${"cd".repeat(32)}`;

const CASES: [string, string[], string, boolean][] = [
  ["one repo digest naming it", [`localhost:5000/app@${D}`], D, true],
  ["among others", [`r1/app@${OTHER}`, `localhost:5000/app@${D}`], D, true],
  ["another digest", [`localhost:5000/app@${OTHER}`], D, false],
  ["none (a local build)", [], D, false],
  ["a prefix of the digest is not the digest", [`r/app@${D}`], D.slice(0, 20), false],
  ["the digest without its @ is not a repo digest", [`r/app${D}`], D, false],
  ["a longer digest that starts like it", [`r/app@${D}ff`], D, false],
];

/** lib.sh's on_digest on the host's shell: the space-separated list, as running_images prints it. */
async function onDigest(digests: string[], digest: string): Promise<boolean> {
  const script = `${roleScript("lib.sh")}\non_digest "$1" "$2"`;
  const res = await run({ tool: "sh", argv: ["-c", script, "pinroll", digests.join(" "), digest] }, { allowFailure: true });
  return res.exitCode === 0;
}

describe("the running-digest rule", () => {
  it.each(CASES)("%s: runsDigest and lib.sh's on_digest agree", async (_name, digests, digest, want) => {
    expect(runsDigest(digests, digest)).toBe(want);
    expect(await onDigest(digests, digest)).toBe(want);
  });
});

describe("parseRunning", () => {
  it("reads running_images' lines: container, service, image, repo digests", () => {
    const out = [`c1\tweb\tsha256:i1\tr/app@${D} r2/app@${D}`, `c2\tweb\tsha256:i2\t`, `c3\tdb\tsha256:i3\tpostgres@${OTHER}`, ""].join(
      "\n",
    );
    expect(parseRunning(out)).toEqual(
      new Map([
        ["web", [[`r/app@${D}`, `r2/app@${D}`], []]],
        ["db", [[`postgres@${OTHER}`]]],
      ]),
    );
  });
  it("nothing running: an empty map", () => {
    expect(parseRunning("")).toEqual(new Map());
  });
});
