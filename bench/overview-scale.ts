// bench/overview at scale (issue 14): the same figures for the 300-tag repository and one of 5,000 SHA tags, in one
// run: the HTTP floor, cold, warm, `--limit 20` warm, the warm run's peak RSS, and how each grows from 300 to 5,000.
import os from "node:os";
import { goal, median, overviewProject, ratio, row, runPinrollMeasured, timed, type MeasuredRun } from "./support.js";
import { publishSyntheticTags } from "./synthetic-tags.js";

const SCALE_TAGS = Number(process.env.BENCH_SCALE_TAGS ?? 5000);
const WARM_RUNS = 7;

export interface ScaleRepo {
  /** repository name inside the registry, e.g. bench/app */
  name: string;
  /** its SHA tags (the floor fetches these) */
  tags: string[];
  /** every tag overview lists: SHA tags plus the mutable ones */
  listed: number;
}

interface ScaleFigures {
  count: number;
  floor: number;
  cold: number;
  warm: number;
  limited: number;
  peakMb: number;
}

type Floor = (addr: string, name: string, tags: string[]) => Promise<void>;

/** Publishes the big repository, measures it beside `small`, prints both, the growth and the goals. */
export async function benchOverviewScale(addr: string, small: ScaleRepo, floor: Floor): Promise<void> {
  console.log(`\noverview at scale: publishing ${SCALE_TAGS} SHA tags to ${addr}/bench/scale (registry HTTP API, concurrency 16) ...`);
  const published = await timed(() => publishSyntheticTags(addr, "bench/scale", SCALE_TAGS));
  row(`setup: publish ${SCALE_TAGS} manifests + configs`, published.seconds);
  const big: ScaleRepo = { name: "bench/scale", tags: published.value.map((t) => t.tag), listed: SCALE_TAGS + 2 };
  const figures = [await measureRepo(addr, small, floor), await measureRepo(addr, big, floor)];
  printGrowth(figures[0]!, figures[1]!);
}

async function measureRepo(addr: string, repo: ScaleRepo, floor: Floor): Promise<ScaleFigures> {
  const project = overviewProject(`${addr}/${repo.name}`, "pinroll-bench-scale-");
  const n = repo.tags.length;
  const overview = async (args: string[], expected: number): Promise<MeasuredRun> => {
    const res = await runPinrollMeasured(["overview", "--json", ...args], project);
    if (res.code !== 0) throw new Error(`overview failed: ${res.stderr}`);
    const listed = (JSON.parse(res.stdout) as { tags: unknown[] }).tags.length;
    if (listed !== expected) throw new Error(`overview listed ${listed} tags, expected ${expected}`);
    return res;
  };
  // The floor before and after the cold run, the faster one kept: neither run gets the registry's warmed-up disk alone.
  const floorBefore = await timed(() => floor(addr, repo.name, repo.tags));
  const cold = await overview([], repo.listed);
  const floorAfter = await timed(() => floor(addr, repo.name, repo.tags));
  const floorRun = floorBefore.seconds <= floorAfter.seconds ? floorBefore : floorAfter;
  const warm: MeasuredRun[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await overview([], repo.listed));
  const limited: MeasuredRun[] = [];
  for (let i = 0; i < WARM_RUNS; i++) limited.push(await overview(["--limit", "20"], 20 + repo.listed - n));
  const f: ScaleFigures = {
    count: n,
    floor: floorRun.seconds,
    cold: cold.seconds,
    warm: median(warm.map((r) => r.seconds)),
    limited: median(limited.map((r) => r.seconds)),
    peakMb: Math.max(...warm.map((r) => r.peakMb)),
  };
  console.log(`\n${n} SHA tags (${repo.name}), load average ${os.loadavg()[0]!.toFixed(1)}:`);
  row(
    "  floor: keep-alive HTTP, manifest + config, concurrency 16",
    f.floor,
    `faster of ${floorBefore.seconds.toFixed(3)} (before cold) and ${floorAfter.seconds.toFixed(3)} (after)`,
  );
  row("  pinroll overview --json, cold", f.cold, `peak RSS ${cold.peakMb.toFixed(0)} MB`);
  row(`  pinroll overview --json, warm (median of ${WARM_RUNS})`, f.warm, spread(warm));
  row(`  pinroll overview --json --limit 20, warm (median of ${WARM_RUNS})`, f.limited, spread(limited));
  console.log(`${"  peak RSS of the warm runs (max, /usr/bin/time %M)".padEnd(58)} ${f.peakMb.toFixed(0).padStart(8)} MB`);
  ratio("  cold / floor", f.cold / f.floor, "<= 2", f.cold / f.floor <= 2);
  goal("  warm", f.warm, "s", "<= 0.3 s", f.warm <= 0.3);
  goal("  --limit 20 warm", f.limited, "s", "<= 0.25 s", f.limited <= 0.25);
  goal("  warm peak RSS", f.peakMb, "MB", "<= 150 MB", f.peakMb <= 150);
  return f;
}

function spread(runs: MeasuredRun[]): string {
  const s = runs.map((r) => r.seconds);
  return `min ${Math.min(...s).toFixed(3)} max ${Math.max(...s).toFixed(3)}`;
}

/** Growth from the small to the big repository: the whole-process factor, and the cost per 1,000 extra tags. */
function printGrowth(a: ScaleFigures, b: ScaleFigures): void {
  const tags = b.count / a.count;
  console.log(`\ngrowth from ${a.count} to ${b.count} tags (${tags.toFixed(1)}x the tags):`);
  const line = (label: string, x: number, y: number, unit = "s") =>
    console.log(
      `${`  ${label}`.padEnd(30)} ${x.toFixed(3).padStart(8)} -> ${y.toFixed(3).padStart(8)} ${unit}  ${(y / x).toFixed(1).padStart(5)}x` +
        `  ${(((y - x) / (b.count - a.count)) * 1000).toFixed(unit === "s" ? 3 : 1)} ${unit} per 1,000 more tags`,
    );
  line("floor", a.floor, b.floor);
  line("cold", a.cold, b.cold);
  line("warm", a.warm, b.warm);
  line("--limit 20 warm", a.limited, b.limited);
  line("warm peak RSS", a.peakMb, b.peakMb, "MB");
  const coldPerTag = b.cold / b.count / (a.cold / a.count);
  console.log(`  cold per tag at ${b.count} vs at ${a.count}: ${coldPerTag.toFixed(2)}x (above 1: faster than linear)`);
}
