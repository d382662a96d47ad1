import { describe, expect, it } from "vitest";
import { jwt } from "../test/fakes";
import { tokenExpiry, tokenRole } from "./tokens";

describe("tokenExpiry", () => {
  it("reads exp (seconds) as milliseconds", () => {
    expect(tokenExpiry(jwt({ userId: "u", exp: 1_800_000_900 }))).toBe(1_800_000_900_000);
  });

  it("reads payloads with non-ASCII text and base64url characters", () => {
    expect(tokenExpiry(jwt({ name: "Zoë ✓ ???>>>", exp: 42 }))).toBe(42_000);
  });

  it("answers null for what is not a JWT with exp", () => {
    expect(tokenExpiry("not-a-token")).toBeNull();
    expect(tokenExpiry("a.%%%.c")).toBeNull();
    expect(tokenExpiry(jwt({ userId: "u" }))).toBeNull();
    expect(tokenExpiry(jwt({ exp: "soon" }))).toBeNull();
  });
});

describe("tokenRole", () => {
  it("reads the role claim, a member's when there is none", () => {
    expect(tokenRole(jwt({ userId: "u", role: "moderator" }))).toBe("moderator");
    expect(tokenRole(jwt({ userId: "u" }))).toBe("member");
    expect(tokenRole("not-a-token")).toBe("member");
    expect(tokenRole(jwt({ role: 7 }))).toBe("member");
  });
});
