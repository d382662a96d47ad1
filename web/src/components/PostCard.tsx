import { Link } from "react-router";
import type { PostSummary } from "../api/types";
import { formatDate, plural } from "../lib/format";
import { ModerationNotice } from "./ModerationNotice";
import { TagList } from "./TagList";

/**
 * A post in a list: title, preview, tags, score and comment count. Its title is a heading one level below the
 * list's own (`level`), so that the page's outline skips none.
 */
export function PostCard({ post, level }: { post: PostSummary; level: 2 | 3 }) {
  const Title = `h${level}` as const;
  return (
    <article className="card post-card">
      <div className="post-card-score" aria-label={`Score ${post.rating}`}>
        <span className="score">{post.rating}</span>
        <span className="score-label">score</span>
      </div>
      <div className="post-card-body">
        <Title className="post-card-title">
          <Link to={`/posts/${encodeURIComponent(post.slug)}`}>{post.title}</Link>
        </Title>
        <p className="post-card-meta">
          by <Link to={`/user/${encodeURIComponent(post.username)}`}>{post.username}</Link> ·{" "}
          <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time> · {plural(post.commentCount, "comment")}
        </p>
        <ModerationNotice mark={post.moderation} subject="post" />
        <p className="post-card-preview">{post.preview}</p>
        <TagList tags={post.searchTags} />
      </div>
    </article>
  );
}
