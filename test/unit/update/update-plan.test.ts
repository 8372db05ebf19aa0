// update's rules as data: what a kept or skipped service becomes in the release, what --check calls a change.
import { describe, expect, it } from "vitest";
import type { App } from "../../../src/config/app.js";
import type { DeployInfo } from "../../../src/hosts/deploy-info.js";
import { checkServices, isLiveEverywhere, planRelease, type ServiceOutcome } from "../../../src/update/plan.js";
import { NO_LABELS, type Outcome } from "../../../src/update/resolve-latest.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const app = { name: "sandbox" } as App;
const svc = (service: string, outcome: Outcome): ServiceOutcome => ({
  service,
  written: `voipbin/bin-${service}`,
  image: `docker.io/voipbin/bin-${service}`,
  tag: "latest",
  outcome,
});
const sha = (tag: string, c: string): Outcome => ({
  kind: "sha",
  tag,
  digest: d(c),
  labels: { ...NO_LABELS, description: `commit ${tag}` },
});
const kept = (c: string): Outcome => ({
  kind: "kept",
  tag: "latest",
  digest: d(c),
  labels: NO_LABELS,
  warning: "No commit-SHA tag found, keeping :latest",
});
const skipped = (warning: string): Outcome => ({ kind: "skipped", warning });

const live = (services: Record<string, { tag: string; c: string }>): DeployInfo => ({
  app: "sandbox",
  kind: "deploy",
  deployed_at: "2026-01-29T15:45:00Z",
  deployed_by: "alice@laptop",
  services: Object.fromEntries(
    Object.entries(services).map(([k, v]) => [
      k,
      { image: `docker.io/voipbin/bin-${k}`, tag: v.tag, digest: d(v.c), description: "old", revision: "", created: "" },
    ]),
  ),
});

const outcomes = [
  svc("api", sha("a1b2c3d", "a")),
  svc("foo", kept("f")),
  svc("bar", skipped("API timeout after 3 retries")),
  svc("baz", skipped("Image not found, skipped")),
];

describe("planRelease", () => {
  it("pins SHA tags and kept tags by digest, leaves out what could not be resolved, warns in compose order", () => {
    const plan = planRelease(app, outcomes, null);
    expect(plan.release).toMatchObject({ app: "sandbox", kind: "update" });
    expect(plan.release.services).toEqual({
      api: { image: "docker.io/voipbin/bin-api", tag: "a1b2c3d", digest: d("a"), description: "commit a1b2c3d", revision: "", created: "" },
      foo: { image: "docker.io/voipbin/bin-foo", tag: "latest", digest: d("f"), description: "", revision: "", created: "" },
    });
    expect([plan.pinned, plan.total]).toEqual([2, 4]);
    expect(plan.warnings).toEqual([
      { service: "foo", image: "voipbin/bin-foo", message: "No commit-SHA tag found, keeping :latest" },
      { service: "bar", image: "voipbin/bin-bar", message: "API timeout after 3 retries" },
      { service: "baz", image: "voipbin/bin-baz", message: "Image not found, skipped" },
    ]);
  });

  it("keeps the live pin of a service it could not resolve, and says so", () => {
    const plan = planRelease(app, outcomes, live({ bar: { tag: "0ld0ld0", c: "b" }, api: { tag: "9999999", c: "9" } }));
    expect(plan.release.services.bar).toMatchObject({ tag: "0ld0ld0", digest: d("b"), description: "old" });
    expect(plan.release.services.api).toMatchObject({ tag: "a1b2c3d", digest: d("a") });
    expect(plan.pinned).toBe(3);
    expect(plan.warnings[1]).toEqual({
      service: "bar",
      image: "voipbin/bin-bar",
      message: "API timeout after 3 retries, keeping the deployed 0ld0ld0",
    });
    expect(plan.warnings[2]?.message).toBe("Image not found, skipped");
  });
});

describe("checkServices", () => {
  it("compares the live pins with what update would pin", () => {
    const rows = checkServices(
      [
        svc("api", sha("a1b2c3d", "a")),
        svc("same", sha("5555555", "5")),
        svc("foo", kept("f")),
        svc("bar", skipped("API timeout after 3 retries")),
      ],
      live({ api: { tag: "9999999", c: "9" }, same: { tag: "5555555", c: "5" }, bar: { tag: "0ld0ld0", c: "b" } }),
    );
    expect(rows).toEqual([
      {
        service: "api",
        image: "docker.io/voipbin/bin-api",
        current: { tag: "9999999", digest: d("9") },
        available: { tag: "a1b2c3d", digest: d("a") },
        changed: true,
      },
      {
        service: "same",
        image: "docker.io/voipbin/bin-same",
        current: { tag: "5555555", digest: d("5") },
        available: { tag: "5555555", digest: d("5") },
        changed: false,
      },
      {
        service: "foo",
        image: "docker.io/voipbin/bin-foo",
        current: { tag: "latest", digest: null },
        available: { tag: "latest", digest: d("f") },
        changed: true,
        warning: "No commit-SHA tag found, keeping :latest",
      },
      {
        service: "bar",
        image: "docker.io/voipbin/bin-bar",
        current: { tag: "0ld0ld0", digest: d("b") },
        available: null,
        changed: false,
        warning: "API timeout after 3 retries",
      },
    ]);
  });
});

describe("isLiveEverywhere", () => {
  const plan = planRelease(app, [svc("api", sha("a1b2c3d", "a"))], null);
  it("is true only when every host runs exactly these pins", () => {
    expect(isLiveEverywhere(plan.release, [live({ api: { tag: "a1b2c3d", c: "a" } })])).toBe(true);
    expect(isLiveEverywhere(plan.release, [live({ api: { tag: "a1b2c3d", c: "a" } }), null])).toBe(false);
    expect(isLiveEverywhere(plan.release, [live({ api: { tag: "a1b2c3d", c: "b" } })])).toBe(false);
    expect(isLiveEverywhere(plan.release, [live({ api: { tag: "a1b2c3d", c: "a" }, extra: { tag: "x", c: "c" } })])).toBe(false);
    expect(isLiveEverywhere(plan.release, [])).toBe(false);
  });
});
