// How long a 429 says to wait: Retry-After (seconds or HTTP date) and Docker Hub's X-Retry-After (unix timestamp).
import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../../src/tools/hub.js";

const NOW = Date.parse("2026-01-30T22:30:00Z");

describe("retryAfterMs", () => {
  it("reads Retry-After in seconds", () => {
    expect(retryAfterMs({ "retry-after": "7" }, NOW)).toBe(7000);
    expect(retryAfterMs({ "retry-after": " 0 " }, NOW)).toBe(0);
  });

  it("reads Retry-After as an HTTP date", () => {
    expect(retryAfterMs({ "retry-after": "Fri, 30 Jan 2026 22:30:12 GMT" }, NOW)).toBe(12_000);
    expect(retryAfterMs({ "retry-after": "Fri, 30 Jan 2026 22:29:00 GMT" }, NOW)).toBe(0);
  });

  it("reads Docker Hub's X-Retry-After unix timestamp", () => {
    expect(retryAfterMs({ "x-retry-after": String(NOW / 1000 + 42) }, NOW)).toBe(42_000);
    expect(retryAfterMs({ "x-retry-after": String(NOW / 1000 - 5) }, NOW)).toBe(0);
  });

  it("reads a small X-Retry-After as seconds: it cannot be a timestamp of this century", () => {
    expect(retryAfterMs({ "x-retry-after": "3" }, NOW)).toBe(3000);
  });

  it("prefers Retry-After when both are sent", () => {
    expect(retryAfterMs({ "retry-after": "2", "x-retry-after": String(NOW / 1000 + 60) }, NOW)).toBe(2000);
  });

  it("falls back to X-Retry-After when Retry-After is garbage, and gives undefined when nothing is usable", () => {
    expect(retryAfterMs({ "retry-after": "soon", "x-retry-after": String(NOW / 1000 + 1) }, NOW)).toBe(1000);
    expect(retryAfterMs({ "x-retry-after": "tomorrow" }, NOW)).toBeUndefined();
    expect(retryAfterMs({}, NOW)).toBeUndefined();
  });
});
