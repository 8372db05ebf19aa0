// The webhook's pure parts: redaction, which runs are sent, the body. The POSTs themselves are tested through real
// deploys in test/integration/notify.test.ts.
import { describe, expect, it } from "vitest";
import { NOTIFY_RETRIES, NOTIFY_TIMEOUT_MS, redactUrl, wanted } from "../../../src/notify/webhook.js";

describe("redactUrl", () => {
  it("drops userinfo and query, keeps scheme, host, port and path", () => {
    expect(redactUrl("https://bot:s3cret@chat.example.com:8443/hooks/deploy?token=abc&x=1")).toBe(
      "https://REDACTED@chat.example.com:8443/hooks/deploy?REDACTED",
    );
    expect(redactUrl("http://127.0.0.1:9000/hook")).toBe("http://127.0.0.1:9000/hook");
    expect(redactUrl("not a url")).toBe("(invalid URL)");
  });
});

describe("wanted", () => {
  const all = ["success", "failure", "rollback"] as const;
  it("sends by result, and every rollback when rollback is listed", () => {
    expect(wanted([...all], { kind: "deploy", result: "success" })).toBe(true);
    expect(wanted(["failure"], { kind: "deploy", result: "success" })).toBe(false);
    expect(wanted(["failure"], { kind: "update", result: "partial" })).toBe(true);
    expect(wanted(["rollback"], { kind: "rollback", result: "success" })).toBe(true);
    expect(wanted(["rollback"], { kind: "deploy", result: "failure" })).toBe(false);
  });
});

it("is bounded as the issue asks: 5 s per try, 3 retries", () => {
  expect([NOTIFY_TIMEOUT_MS, NOTIFY_RETRIES]).toEqual([5000, 3]);
});
