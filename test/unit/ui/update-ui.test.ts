// update's text in seed 000's words: the progress line, the Warnings block and the summary, --check's table.
import { stripVTControlCharacters as plain } from "node:util";
import { describe, expect, it } from "vitest";
import type { CheckService } from "../../../src/update/plan.js";
import { displayImage, rateLimitNotice, renderCheck, renderPlanReport, resolveProgress } from "../../../src/ui/update.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const SHA = /^[0-9a-f]{7,40}$/;

function fakeStream(isTTY: boolean): { stream: { write: (s: string) => boolean; isTTY: boolean }; text: () => string } {
  let out = "";
  return {
    stream: {
      isTTY,
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    text: () => out,
  };
}

describe("renderPlanReport", () => {
  it("prints seed 000's block: warnings, a blank line, the summary", () => {
    const text = renderPlanReport({
      pinned: 23,
      total: 25,
      warnings: [
        { service: "foo-manager", image: "voipbin/bin-foo-manager", message: "No commit-SHA tag found, keeping :latest" },
        { service: "bar-manager", image: "voipbin/bin-bar-manager", message: "API timeout after 3 retries" },
      ],
    });
    expect(plain(text)).toBe(
      [
        "Warnings:",
        "  ! voipbin/bin-foo-manager: No commit-SHA tag found, keeping :latest",
        "  ! voipbin/bin-bar-manager: API timeout after 3 retries",
        "",
        "✓ Generated docker-compose.override.yml (23/25 images pinned)",
      ].join("\n"),
    );
  });

  it("prints only the summary when there is nothing to warn about", () => {
    expect(plain(renderPlanReport({ pinned: 3, total: 3, warnings: [] }))).toBe(
      "✓ Generated docker-compose.override.yml (3/3 images pinned)",
    );
  });
});

describe("renderCheck", () => {
  it("shows current vs available, marks changes, lists warnings and counts", () => {
    const services: CheckService[] = [
      {
        service: "api",
        image: "docker.io/voipbin/bin-api",
        current: { tag: "9999999", digest: d("9") },
        available: { tag: "a1b2c3d", digest: d("a") },
        changed: true,
      },
      {
        service: "db",
        image: "docker.io/library/postgres",
        current: { tag: "latest", digest: null },
        available: { tag: "latest", digest: d("f") },
        changed: true,
        warning: "No commit-SHA tag found, keeping :latest",
      },
      {
        service: "web",
        image: "docker.io/voipbin/bin-web",
        current: { tag: "5555555", digest: d("5") },
        available: null,
        changed: false,
        warning: "Image not found, skipped",
      },
    ];
    expect(plain(renderCheck(services, SHA))).toBe(
      [
        "SERVICE  CURRENT              AVAILABLE",
        "-------  -------              ---------",
        "api      9999999              a1b2c3d                     changed",
        "db       latest (not pinned)  latest@sha256:ffffffffffff  changed",
        "web      5555555              ?",
        "",
        "Warnings:",
        "  ! postgres: No commit-SHA tag found, keeping :latest",
        "  ! voipbin/bin-web: Image not found, skipped",
        "",
        "2 of 3 services would change: run pinroll update",
      ].join("\n"),
    );
  });
});

describe("resolveProgress", () => {
  it("redraws one counter line on a terminal and leaves it, notices on their own line", () => {
    const { stream, text } = fakeStream(true);
    const bar = resolveProgress(stream);
    bar.update(1, 25);
    bar.notice(rateLimitNotice(1500));
    bar.update(25, 25);
    bar.end();
    expect(text()).toBe(
      "\r\x1b[KResolving image tags... [1/25]" +
        "\r\x1b[KRate limited, waiting... (2 s)\nResolving image tags... [1/25]" +
        "\r\x1b[KResolving image tags... [25/25]\n\n",
    );
  });

  it("prints only the notices when stderr is not a terminal", () => {
    const { stream, text } = fakeStream(false);
    const bar = resolveProgress(stream);
    bar.update(1, 2);
    bar.notice("Rate limited, waiting... (1 s)");
    bar.end();
    expect(text()).toBe("Rate limited, waiting... (1 s)\n");
  });
});

describe("displayImage", () => {
  it("writes Docker Hub images the way people do", () => {
    expect(displayImage("docker.io/library/postgres")).toBe("postgres");
    expect(displayImage("docker.io/voipbin/bin-api-manager")).toBe("voipbin/bin-api-manager");
    expect(displayImage("localhost:5000/demo/app")).toBe("localhost:5000/demo/app");
  });
});
