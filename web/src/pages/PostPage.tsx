import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, notFoundWords } from "../api";
import type { Comment, Decision, Post, Vote } from "../api/types";
import { ActionForm } from "../components/ActionForm";
import { Avatar } from "../components/Avatar";
import { CoinChips } from "../components/CoinChip";
import { TextArea } from "../components/Field";
import { Loaded } from "../components/Loaded";
import { ModerationNotice } from "../components/ModerationNotice";
import { ReportForm } from "../components/ReportForm";
import { EmptyState, ErrorMessage } from "../components/Status";
import { StepUpForm } from "../components/StepUpForm";
import { TagList } from "../components/TagList";
import { VoteControls } from "../components/VoteControls";
import { formatDate, formatDateTime, plural } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
import { useResource } from "../lib/useResource";
import { useStepUp } from "../lib/useStepUp";
import { useSession } from "../session/session";

function DeletePost({ post }: { post: Post }) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const flow = useStepUp(
    (factor) => api.posts.remove(post.id, factor),
    () => navigate(`/user/${encodeURIComponent(post.username)}`, { replace: true }),
  );
  if (!confirming) {
    return (
      <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="card inline-panel" role="alertdialog" aria-label="Delete this post?">
      <StepUpForm
        flow={flow}
        label="Yes, delete it"
        codeLabel="Delete the post"
        busyLabel="Deleting…"
        look="danger"
        onCancel={() => setConfirming(false)}
        actions={
          <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        }
      >
        <p>Delete this post with its comments and votes? This cannot be undone.</p>
      </StepUpForm>
    </div>
  );
}

function CommentItem({
  comment,
  onVote,
  busy,
  canReport,
}: {
  comment: Comment;
  onVote?: (vote: Vote) => void;
  busy: boolean;
  canReport: boolean;
}) {
  return (
    <li className="comment" id={`comment-${comment.id}`}>
      <VoteControls
        rating={comment.rating}
        rates={comment.commentRates}
        subject={`comment by ${comment.username}`}
        onVote={onVote}
        busy={busy}
      />
      <div className="comment-body">
        <p className="comment-meta">
          {comment.userId ? (
            <Link to={`/user/${encodeURIComponent(comment.username)}`}>{comment.username}</Link>
          ) : (
            <span>{comment.username} (account closed)</span>
          )}{" "}
          · <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt)}</time>
        </p>
        <ModerationNotice mark={comment.moderation} subject="comment" />
        <p className="comment-text">{comment.payload}</p>
        {canReport && (
          <ReportForm item={{ itemType: "comment", itemId: comment.id }} subject={`comment by ${comment.username}`} />
        )}
      </div>
    </li>
  );
}

function CommentForm({ postId, onPosted }: { postId: string; onPosted: () => void }) {
  const { values, setValues, bind } = useFields({ comment: "" });
  const text = values.comment.trim();
  const send = useAction(() => api.posts.comment(postId, text));
  return (
    <ActionForm
      className="comment-form"
      check={() => (text ? null : "Write something first.")}
      onSend={() =>
        void send.run().then((ok) => {
          if (!ok) return;
          setValues({ comment: "" });
          onPosted();
        })
      }
      busy={send.busy}
      error={send.error}
      label="Comment"
      busyLabel="Posting…"
    >
      <TextArea label="Your comment" rows={3} maxLength={5000} {...bind("comment")} />
    </ActionForm>
  );
}

const MODERATE_LABELS = { public: "Hide the post", hidden: "Restore the post", held: "Approve the post" };

/** For moderators on a post's page: hide it or make it public again, with a note for its author. */
function ModeratePost({ post, onDecided }: { post: Post; onDecided: () => void }) {
  const { values, bind } = useFields({ note: "" });
  const decide = useAction((decision: Decision) =>
    api.moderation.decide({ itemType: "post", itemId: post.id, decision, note: values.note.trim() || null }),
  );
  const decision: Decision = post.moderation ? "restore" : "hide";
  return (
    <ActionForm
      className="card inline-panel"
      onSend={() => void decide.run(decision).then((ok) => ok && onDecided())}
      busy={decide.busy}
      error={decide.error}
      label={MODERATE_LABELS[post.moderation?.state ?? "public"]}
      busyLabel="Saving…"
      look={post.moderation ? "plain" : "danger"}
    >
      <TextArea label="Moderator's note for the author (optional)" rows={2} maxLength={1000} {...bind("note")} />
    </ActionForm>
  );
}

function PostView({ post, reload }: { post: Post; reload: () => void }) {
  const { user, moderates } = useSession();
  // After a vote the post is read again, so scores and the reader's own votes are the API's.
  const voting = useAction((send: () => Promise<unknown>) => send().then(reload));
  const isAuthor = user?.id === post.userId;
  const canVote = Boolean(user);
  const comments = post.postInfo.comments;

  return (
    <article className="post">
      <header className="post-header">
        <VoteControls
          rating={post.postInfo.rating}
          rates={post.postInfo.rates}
          subject="this post"
          onVote={canVote ? (vote) => void voting.run(() => api.posts.ratePost(post.id, vote)) : undefined}
          busy={voting.busy}
        />
        <div>
          <h1 className="post-title">{post.title}</h1>
          <p className="post-meta">
            <Avatar name={post.username} size={22} />
            <Link to={`/user/${encodeURIComponent(post.username)}`}>{post.username}</Link> ·{" "}
            <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time>
            {post.updatedAt !== post.createdAt && <> · edited {formatDate(post.updatedAt)}</>}
          </p>
          <TagList tags={post.searchTags} />
          <CoinChips coins={post.coins} />
        </div>
      </header>
      {voting.error && <ErrorMessage error={voting.error} />}
      {!user && (
        <p className="muted">
          <Link to={`/sign-in?next=${encodeURIComponent(`/posts/${post.slug}`)}`}>Sign in</Link> to vote and comment.
        </p>
      )}
      <ModerationNotice mark={post.moderation} subject="post" />
      {moderates && <ModeratePost post={post} onDecided={reload} />}
      {user && !isAuthor && !post.moderation && (
        <ReportForm item={{ itemType: "post", itemId: post.id }} subject="this post" />
      )}
      {isAuthor && (
        <div className="post-actions">
          <Link className="button" to={`/posts/${encodeURIComponent(post.slug)}/edit`}>
            Edit
          </Link>
          <DeletePost post={post} />
        </div>
      )}
      <p className="post-preview">{post.preview}</p>
      <div className="post-content">
        {post.content.map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>

      <section className="comments" aria-labelledby="comments-heading">
        <h2 id="comments-heading">{plural(post.postInfo.commentCount, "comment")}</h2>
        {comments.length === 0 ? (
          <EmptyState title="No comments yet.">
            {user ? "Start the conversation below." : "Sign in to start the conversation."}
          </EmptyState>
        ) : (
          <ol className="comment-list">
            {comments.map((comment) => (
              <CommentItem
                key={comment.id}
                comment={comment}
                busy={voting.busy}
                canReport={Boolean(user) && user?.id !== comment.userId && !comment.moderation}
                onVote={
                  canVote
                    ? (vote) => void voting.run(() => api.posts.rateComment(post.id, comment.id, vote))
                    : undefined
                }
              />
            ))}
          </ol>
        )}
        {user && <CommentForm postId={post.id} onPosted={reload} />}
      </section>
    </article>
  );
}

export function PostPage() {
  const { slug = "" } = useParams();
  const { user } = useSession();
  const post = useResource(() => api.posts.get(slug), `${slug}:${user?.id ?? ""}`);
  usePageTitle(post.data?.title);

  return (
    <Loaded
      resource={post}
      loadingLabel="Loading the post…"
      fallback={<Link to="/">Back to the posts</Link>}
      errorWords={notFoundWords("post-not-found")}
    >
      {(data) => <PostView post={data} reload={post.reload} />}
    </Loaded>
  );
}
