import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Overview, OverviewTag } from "../../../src/commands/overview.js";
import { formatCreated, renderOverview } from "../../../src/ui/overview.js";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

const row = (tag: string, c: string, over: Partial<OverviewTag> = {}): OverviewTag => ({
  tag,
  digest: digest(c),
  created: "2024-05-01T10:00:00Z",
  description: `commit ${tag}`,
  revision: "",
  deployed: false,
  immutable: true,
  points_to: null,
  signed: null,
  ...over,
});

const overview = (over: Partial<Overview> = {}): Overview => ({
  app: "app",
  image: "localhost:5000/demo/app",
  deployed_digest: digest("b"),
  hosts: [{ host: "h1", digest: digest("b") }],
  warnings: [],
  tags: [
    row("ccccccc", "c", { created: "2024-05-03T10:00:00Z", description: "feat: first line\nsecond line\nthird line" }),
    row("bbbbbbb", "b", { created: "2024-05-02T08:30:00Z", description: "fix: two", deployed: true }),
    row("latest", "c", { immutable: false, points_to: "ccccccc", created: "", description: "" }),
    row("orphan", "9", { immutable: false, created: "", description: "" }),
  ],
  ...over,
});

beforeAll(() => {
  vi.stubEnv("TZ", "UTC");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe("renderOverview", () => {
  it("prints the table with the arrow on the deployed row only", () => {
    expect(renderOverview(overview())).toBe(
      [
        "IMAGE: localhost:5000/demo/app",
        "",
        "TAG        CREATED                DESCRIPTION",
        "---        -------                -----------",
        "  ccccccc  2024-05-03 10:00       feat: first line",
        "                                  second line",
        "                                  third line",
        "→ bbbbbbb  2024-05-02 08:30       fix: two",
        "  latest   = ccccccc",
        "  orphan   = sha256:999999999999",
        "",
      ].join("\n"),
    );
  });

  it("keeps every line of a multi-line description, aligned in its column", () => {
    const lines = renderOverview(overview()).split("\n");
    const first = lines.findIndex((l) => l.endsWith("feat: first line"));
    const column = lines[first]!.indexOf("feat:");
    expect(lines[first + 1]!.indexOf("second line")).toBe(column);
    expect(lines[first + 2]!.indexOf("third line")).toBe(column);
  });

  it("says when nothing is recorded as deployed", () => {
    const text = renderOverview(
      overview({
        deployed_digest: null,
        hosts: [
          { host: "h1", digest: null },
          { host: "h2", digest: null },
        ],
        tags: overview().tags.map((t) => ({ ...t, deployed: false })),
      }),
    );
    expect(text).not.toContain("→");
    expect(text.split("\n").at(-1)).toBe("Deployed: nothing recorded yet on h1, h2 (no deploy-info.yml)");
  });

  it("says when no host could be read", () => {
    const text = renderOverview(overview({ deployed_digest: null, hosts: [{ host: "h1", digest: null, error: "unreachable" }] }));
    expect(text.split("\n").at(-1)).toBe("Deployed: unknown (no host could be read)");
  });

  it("names a deployed digest no tag points to any more", () => {
    const text = renderOverview(overview({ deployed_digest: digest("e"), tags: [row("ccccccc", "c")] }));
    expect(text.split("\n").at(-1)).toBe(`Deployed: ${digest("e")} (no tag points to it any more)`);
  });

  it("an image without tags says so", () => {
    expect(renderOverview(overview({ tags: [], deployed_digest: null, hosts: [{ host: "h1", digest: null }] }))).toContain("(no tags)");
  });
});

describe("formatCreated", () => {
  it("shows a date to the minute and leaves what is not a date as it is", () => {
    expect(formatCreated("2024-05-02T08:30:59Z")).toBe("2024-05-02 08:30");
    expect(formatCreated("")).toBe("");
    expect(formatCreated("yesterday")).toBe("yesterday");
  });
});
