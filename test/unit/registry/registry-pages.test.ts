import { describe, expect, it } from "vitest";
import { nextPage } from "../../../src/registry/http.js";

describe("nextPage (tag list pagination, RFC 5988 Link)", () => {
  const base = "http://127.0.0.1:5000";

  it("follows distribution's relative next link", () => {
    expect(nextPage('</v2/bench/app/tags/list?last=3250a09137&n=1000>; rel="next"', base)).toBe(
      "/v2/bench/app/tags/list?last=3250a09137&n=1000",
    );
  });

  it("takes the path of an absolute link", () => {
    expect(nextPage("<https://registry.example.com/v2/a/tags/list?n=100&last=x>; rel=next", base)).toBe("/v2/a/tags/list?n=100&last=x");
  });

  it("stops without a next link", () => {
    expect(nextPage(undefined, base)).toBeUndefined();
    expect(nextPage("", base)).toBeUndefined();
    expect(nextPage('</v2/a/tags/list?n=1>; rel="prev"', base)).toBeUndefined();
  });
});
