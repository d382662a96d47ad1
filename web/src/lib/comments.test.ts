import { describe, expect, it } from "vitest";
import { linkedCommentId, replyDraft } from "./comments";

describe("replies", () => {
  it("starts the comment box with @username, keeping what was typed", () => {
    expect(replyDraft("", "bob")).toBe("@bob ");
    expect(replyDraft("I agree", "bob")).toBe("@bob I agree");
  });

  it("names one whom it answers: a second Reply replaces the first mention", () => {
    expect(replyDraft("@bob ", "carol.b")).toBe("@carol.b ");
    expect(replyDraft("@bob  I agree", "carol.b")).toBe("@carol.b I agree");
    expect(replyDraft("@bob ", "bob")).toBe("@bob ");
  });
});

describe("links to comments", () => {
  it("reads the comment's id from #comment-<id>", () => {
    expect(linkedCommentId("comment-0b6f7a6e-8f0e-4b8e-9d6c-1f2e3d4c5b6a")).toBe(
      "0b6f7a6e-8f0e-4b8e-9d6c-1f2e3d4c5b6a",
    );
    expect(linkedCommentId("settings-alerts")).toBeNull();
    expect(linkedCommentId("")).toBeNull();
  });
});
