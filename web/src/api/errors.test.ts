import { describe, expect, it } from "vitest";
import { ApiError, canRetry, describeError, errorText, notFoundWords } from "./errors";

describe("error words", () => {
  it("has words for the API's codes", () => {
    expect(describeError("account-not-confirmed", 403)).toMatch(/not confirmed/);
    expect(describeError("too-many-attempts", 429)).toMatch(/Too many failed attempts/);
    expect(describeError("token-expired", 401)).toMatch(/sign in again/);
    expect(describeError("item-not-public", 409)).toMatch(/take no comments or votes/);
    expect(describeError("own-item", 400)).toMatch(/what you wrote yourself/);
  });

  it("lets a form say what a code means there", () => {
    expect(describeError("bad-request", 400, { "bad-request": "Turn the other factor off first." })).toBe(
      "Turn the other factor off first.",
    );
  });

  it("falls back by status for codes it does not know", () => {
    expect(describeError("brand-new-code", 400)).toBe("Something went wrong (400). Try again.");
    expect(describeError("http-503", 503)).toMatch(/on our side/);
  });

  it("never shows people a raw exception", () => {
    expect(errorText(new Error("TypeError: x is undefined"))).toMatch(/on our side/);
    expect(errorText(new ApiError(404, "post-not-found"))).toMatch(/does not exist/);
  });

  it("says a malformed address of a page is a page that does not exist", () => {
    const malformed = new ApiError(400, "validation-error");
    expect(errorText(malformed, notFoundWords("user-not-found"))).toBe("There is no user with that name.");
    expect(errorText(new ApiError(404, "post-not-found"), notFoundWords("post-not-found"))).toMatch(/does not exist/);
  });

  it("offers to try again only when the network or the server failed", () => {
    expect(canRetry(new ApiError(0, "network-error"))).toBe(true);
    expect(canRetry(new ApiError(503, "http-503"))).toBe(true);
    expect(canRetry(new ApiError(404, "post-not-found"))).toBe(false);
    expect(canRetry(new TypeError("x is undefined"))).toBe(true);
  });
});
