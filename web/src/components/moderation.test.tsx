import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { POST_SUMMARY } from "../test/fakes";
import { DecideForm } from "./DecideForm";
import { ModerationNotice } from "./ModerationNotice";
import { PostCard } from "./PostCard";
import { ReportForm } from "./ReportForm";
import { VoteControls } from "./VoteControls";

describe("moderation in the client", () => {
  it("marks a hidden or held item with the reason, and public items not at all", () => {
    expect(renderToStaticMarkup(<ModerationNotice mark={null} subject="post" />)).toBe("");
    const hidden = renderToStaticMarkup(
      <ModerationNotice mark={{ state: "hidden", reason: "Phishing link" }} subject="comment" />,
    );
    expect(hidden).toContain("This comment is hidden:");
    expect(hidden).toContain("Phishing link");
    const held = renderToStaticMarkup(
      <ModerationNotice mark={{ state: "held", reason: "New account" }} subject="post" />,
    );
    expect(held).toContain("This post waits for a moderator:");
  });

  it("shows the mark on its author's post card", () => {
    const card = (moderation: { state: "hidden" | "held"; reason: string } | null) =>
      renderToStaticMarkup(
        <MemoryRouter>
          <PostCard post={{ ...POST_SUMMARY, moderation }} level={2} />
        </MemoryRouter>,
      );
    expect(card(null)).not.toContain("moderation-notice");
    expect(card({ state: "hidden", reason: "Reported by 3 members: spam" })).toContain("Reported by 3 members: spam");
  });

  it("offers Report, naming what is reported for screen readers", () => {
    const html = renderToStaticMarkup(<ReportForm item={{ itemType: "post", itemId: "p1" }} subject="this post" />);
    expect(html).toContain("Report");
    expect(html).toContain('<span class="visually-hidden"> this post</span>');
  });

  it("offers Approve and Hide on a held item in the queue, and Dismiss only on the others", () => {
    const buttons = (state: "public" | "hidden" | "held") =>
      [
        ...renderToStaticMarkup(
          <DecideForm
            item={{ itemType: "comment", itemId: "c1" }}
            state={state}
            subject="comment"
            inQueue
            onDecided={() => undefined}
          />,
        ).matchAll(/<button[^>]*>([^<]+)<\/button>/g),
      ].map((match) => match[1]);
    expect(buttons("held")).toEqual(["Approve", "Hide"]);
    expect(buttons("hidden")).toEqual(["Hide", "Restore", "Dismiss reports"]);
  });

  it("shows the score alone on an item that takes no votes", () => {
    const html = renderToStaticMarkup(
      <VoteControls rating={4} rates={[]} subject="this post" onVote={() => undefined} closed />,
    );
    expect(html).not.toContain("<button");
    expect(html).toContain('aria-label="Score 4"');
  });
});
