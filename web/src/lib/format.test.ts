import { describe, expect, it } from "vitest";
import { displayName, formatChange, formatCompactUsd, formatPrice, plural } from "./format";

describe("formatting", () => {
  it("shows prices with the digits that matter", () => {
    expect(formatPrice(25839.257)).toBe("$25,839.26");
    expect(formatPrice(0.5072)).toBe("$0.5072");
    expect(formatPrice("0.00000764")).toBe("$0.00000764");
    expect(formatPrice(null)).toBe("—");
  });

  it("shortens large amounts, from numbers or decimal strings", () => {
    expect(formatCompactUsd("1053021065373")).toBe("$1.05T");
    expect(formatCompactUsd("not a number")).toBe("—");
  });

  it("signs changes", () => {
    expect(formatChange(2.811)).toBe("+2.81%");
    expect(formatChange(-0.03)).toBe("-0.03%");
    expect(formatChange(null)).toBe("—");
  });

  it("counts and names people", () => {
    expect(plural(1, "comment")).toBe("1 comment");
    expect(plural(1200, "comment")).toBe("1,200 comments");
    expect(displayName({ firstName: "Ada", lastName: null, username: "ada" })).toBe("Ada");
    expect(displayName({ firstName: null, lastName: null, username: "ada" })).toBe("ada");
  });
});
