import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { client } from "../api";
import type { Comment, ModerationMark, Post } from "../api/types";
import { SessionProvider } from "../session/session";
import { jwt, user } from "../test/fakes";
import { PostView } from "./PostPage";

const mark: ModerationMark = { state: "hidden", reason: "Phishing link" };

function comment(id: string, username: string, moderation: ModerationMark | null = null): Comment {
  const userId = username === user.username ? user.id : `${username}-id`;
  return {
    id,
    username,
    userId,
    payload: `said ${id}`,
    rating: 0,
    commentRates: [],
    createdAt: "2026-01-02T03:04:05Z",
    moderation,
  };
}

function post(moderation: ModerationMark | null, comments: Comment[], userId = "bob-id"): Post {
  return {
    id: "p1",
    slug: "hello",
    title: "Hello",
    preview: "Hi",
    content: ["Body"],
    searchTags: [],
    coins: [],
    createdAt: "2026-01-02T03:04:05Z",
    updatedAt: "2026-01-02T03:04:05Z",
    userId,
    username: userId === user.id ? user.username : "bob",
    moderation,
    postInfo: { rating: 1, rates: [], commentCount: comments.length, comments },
  };
}

/** The post's page as `role` (or a member) signed in as alice sees it, at `path`. */
function page(shown: Post, { role = "member", path = "/posts/hello" } = {}): string {
  client.startSession(jwt({ exp: Date.now() / 1000 + 900, role }), user);
  return renderToStaticMarkup(
    <SessionProvider>
      <MemoryRouter initialEntries={[path]}>
        <PostView post={shown} reload={() => undefined} />
      </MemoryRouter>
    </SessionProvider>,
  );
}

afterEach(() => client.endSession());

const voteButtons = (html: string) => html.match(/aria-label="Vote (up|down) /g)?.length ?? 0;

describe("a post's page", () => {
  it("offers votes, the comment box, Reply and Report on a public post", () => {
    const html = page(post(null, [comment("c1", "carol"), comment("c2", user.username)]));
    expect(voteButtons(html)).toBe(6);
    expect(html).toContain("Your comment");
    expect(html.match(/>Reply</g)).toHaveLength(1); // not to oneself
    expect(html).toContain('<span class="visually-hidden"> to carol</span>');
    expect(html).toContain('Report<span class="visually-hidden"> this post</span>');
    expect(html).toContain('Report<span class="visually-hidden"> comment by carol</span>');
    expect(html).not.toContain("comment by alice</span>"); // no Report of one's own comment
  });

  it("shows its author a hidden post without votes, comment box or reports, and says why", () => {
    const html = page(post(mark, [comment("c1", "carol")], user.id));
    expect(voteButtons(html)).toBe(0);
    expect(html).toContain('data-testid="score"');
    expect(html).not.toContain("Your comment");
    expect(html).not.toContain(">Reply<");
    expect(html).not.toContain("Report<");
    expect(html).toContain("Hidden posts take no comments or votes.");
  });

  it("takes no votes on a hidden comment of a public post", () => {
    const html = page(post(null, [comment("c1", user.username, mark)]));
    expect(voteButtons(html)).toBe(2); // the post's
    expect(html).toContain("This comment is hidden:");
    expect(html).toContain("Your comment");
  });

  it("gives moderators Approve and Hide on held items and Restore on hidden ones, not Dismiss", () => {
    const held: ModerationMark = { state: "held", reason: "New account with links" };
    const html = page(post(held, [comment("c1", "carol", mark)]), { role: "moderator" });
    expect(html).toContain('aria-label="Decide on the post"><button type="button" class="button">Approve</button>');
    expect(html).toContain('<button type="button" class="button button-danger">Hide</button></div>');
    expect(html).toContain('aria-label="Decide on the comment by carol"><button type="button" class="button">Restore');
    expect(html).not.toContain("Dismiss");
    expect(page(post(null, [comment("c1", "carol")]), { role: "moderator" })).not.toContain("Decide on the comment"); // public comments are decided on in the queue
  });

  it("highlights the comment a link names", () => {
    const html = page(post(null, [comment("c1", "carol"), comment("c2", "dave")]), { path: "/posts/hello#comment-c2" });
    expect(html).toContain('<li class="comment" id="comment-c1">');
    expect(html).toContain('<li class="comment comment-linked" id="comment-c2" tabindex="-1">');
  });
});
