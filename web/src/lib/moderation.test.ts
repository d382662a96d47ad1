import { describe, expect, it } from "vitest";
import { closedWords, decisionsOn, decisionWords, rightsOn } from "./moderation";

const alice = "alice";
const moderator = "mod";
const hidden = { state: "hidden" as const, reason: "Spam" };
const held = { state: "held" as const, reason: "New account with links" };

describe("what a reader may do with an item", () => {
  it("lets members vote on, report and reply to others' public items", () => {
    const post = { userId: "bob" };
    expect(rightsOn(post, alice)).toEqual({ vote: true, report: true, reply: false });
    expect(rightsOn({ userId: "bob" }, alice, post)).toEqual({ vote: true, report: true, reply: true });
  });

  it("offers no report or reply on one's own items, nor on a closed account's", () => {
    expect(rightsOn({ userId: "alice" }, alice, { userId: "bob" })).toEqual({
      vote: true,
      report: false,
      reply: false,
    });
    expect(rightsOn({ userId: null }, alice, { userId: "bob" })).toEqual({ vote: true, report: false, reply: false });
  });

  it("offers nothing on an item that is not public, or on a post that is not", () => {
    const none = { vote: false, report: false, reply: false };
    expect(rightsOn({ userId: "alice", moderation: hidden }, alice)).toEqual(none);
    expect(rightsOn({ userId: "bob", moderation: held }, moderator)).toEqual(none);
    expect(rightsOn({ userId: "bob" }, moderator, { userId: "alice", moderation: hidden })).toEqual(none);
  });

  it("offers nothing signed out", () => {
    expect(rightsOn({ userId: "bob" }, null, { userId: "bob" })).toEqual({ vote: false, report: false, reply: false });
  });
});

describe("moderators' decisions", () => {
  it("approves or rejects a held item, never only dismisses its reports", () => {
    expect(decisionsOn("held", true)).toEqual(["restore", "hide"]);
    expect(decisionsOn("held", false)).toEqual(["restore", "hide"]);
    expect(decisionsOn("held", true).map((decision) => decisionWords(decision, "held"))).toEqual(["Approve", "Hide"]);
  });

  it("hides a public item and restores a hidden one on its page; the queue also dismisses", () => {
    expect(decisionsOn("public", false)).toEqual(["hide"]);
    expect(decisionsOn("hidden", false)).toEqual(["restore"]);
    expect(decisionsOn("hidden", true)).toEqual(["hide", "restore", "dismiss"]);
    expect(decisionWords("restore", "hidden")).toBe("Restore");
    expect(decisionWords("dismiss", "public")).toBe("Dismiss reports");
  });

  it("says why a post that is not public takes no comments or votes", () => {
    expect(closedWords(hidden)).toBe("Hidden posts take no comments or votes.");
    expect(closedWords(held)).toBe("Posts waiting for a moderator take no comments or votes.");
  });
});
