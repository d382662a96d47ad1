import { Link } from "react-router";
import type { PostSummary } from "../api/types";
import { formatDate, plural } from "../lib/format";
import { TagList } from "./TagList";

/** A post in a list: title, preview, tags, score and comment count. */
export function PostCard({ post }: { post: PostSummary }) {
  return (
    <article className="card post-card">
      <div className="post-card-score" aria-label={`Score ${post.rating}`}>
        <span className="score">{post.rating}</span>
        <span className="score-label">score</span>
      </div>
      <div className="post-card-body">
        <h3 className="post-card-title">
          <Link to={`/posts/${encodeURIComponent(post.slug)}`}>{post.title}</Link>
        </h3>
        <p className="post-card-meta">
          by <Link to={`/user/${encodeURIComponent(post.username)}`}>{post.username}</Link> ·{" "}
          <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time> · {plural(post.commentCount, "comment")}
        </p>
        <p className="post-card-preview">{post.preview}</p>
        <TagList tags={post.searchTags} />
      </div>
    </article>
  );
}
