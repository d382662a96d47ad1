import { useRef, useState, type Ref } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, notFoundWords } from "../api";
import type { Comment, Post, Vote } from "../api/types";
import { ActionForm } from "../components/ActionForm";
import { Avatar } from "../components/Avatar";
import { CoinChips } from "../components/CoinChip";
import { DecideForm } from "../components/DecideForm";
import { TextArea } from "../components/Field";
import { Loaded } from "../components/Loaded";
import { ModerationNotice } from "../components/ModerationNotice";
import { ReportForm } from "../components/ReportForm";
import { EmptyState, ErrorMessage } from "../components/Status";
import { StepUpForm } from "../components/StepUpForm";
import { TagList } from "../components/TagList";
import { VoteControls } from "../components/VoteControls";
import { linkedCommentId, replyDraft } from "../lib/comments";
import { formatDate, formatDateTime, plural } from "../lib/format";
import { closedWords, rightsOn, type Rights } from "../lib/moderation";
import { useHashTarget } from "../lib/useHashTarget";
import { usePageTitle } from "../lib/usePageTitle";
import { useAction } from "../lib/useAction";
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
  rights,
  closed,
  linked,
  onVote,
  busy,
  onReply,
  moderates,
  onDecided,
}: {
  comment: Comment;
  rights: Rights;
  /** Not public, or on a post that is not: no votes at all. */
  closed: boolean;
  /** The link followed named this comment (#comment-<id>): it is shown highlighted, and focused. */
  linked: boolean;
  onVote: (vote: Vote) => void;
  busy: boolean;
  onReply: () => void;
  moderates: boolean;
  onDecided: () => void;
}) {
  const subject = `comment by ${comment.username}`;
  return (
    <li
      className={linked ? "comment comment-linked" : "comment"}
      id={`comment-${comment.id}`}
      tabIndex={linked ? -1 : undefined}
    >
      <VoteControls
        rating={comment.rating}
        rates={comment.commentRates}
        subject={subject}
        onVote={rights.vote ? onVote : undefined}
        busy={busy}
        closed={closed}
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
        {(rights.reply || rights.report) && (
          <div className="comment-actions">
            {rights.reply && (
              <button type="button" className="link-button" onClick={onReply}>
                Reply<span className="visually-hidden"> to {comment.username}</span>
              </button>
            )}
            {rights.report && <ReportForm item={{ itemType: "comment", itemId: comment.id }} subject={subject} />}
          </div>
        )}
        {moderates && comment.moderation && (
          <div className="card inline-panel">
            <DecideForm
              item={{ itemType: "comment", itemId: comment.id }}
              state={comment.moderation.state}
              subject={subject}
              onDecided={onDecided}
            />
          </div>
        )}
      </div>
    </li>
  );
}

function CommentForm({
  postId,
  text,
  onText,
  inputRef,
  onPosted,
}: {
  postId: string;
  text: string;
  onText: (text: string) => void;
  inputRef: Ref<HTMLTextAreaElement>;
  onPosted: () => void;
}) {
  const comment = text.trim();
  const send = useAction(() => api.posts.comment(postId, comment));
  return (
    <ActionForm
      className="comment-form"
      check={() => (comment ? null : "Write something first.")}
      onSend={() =>
        void send.run().then((ok) => {
          if (!ok) return;
          onText("");
          onPosted();
        })
      }
      busy={send.busy}
      error={send.error}
      label="Comment"
      busyLabel="Posting…"
    >
      <TextArea
        ref={inputRef}
        label="Your comment"
        name="comment"
        rows={3}
        maxLength={5000}
        value={text}
        onChange={(event) => onText(event.target.value)}
      />
    </ActionForm>
  );
}

export function PostView({ post, reload }: { post: Post; reload: () => void }) {
  const { user, moderates } = useSession();
  const reader = user?.id ?? null;
  // After a vote the post is read again, so scores and the reader's own votes are the API's.
  const voting = useAction((send: () => Promise<unknown>) => send().then(reload));
  const [draft, setDraft] = useState("");
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const linked = linkedCommentId(useHashTarget(true)); // PostView shows once the post and its comments are there
  const isAuthor = user?.id === post.userId;
  const rights = rightsOn(post, reader);
  const comments = post.postInfo.comments;

  return (
    <article className="post">
      <header className="post-header">
        <VoteControls
          rating={post.postInfo.rating}
          rates={post.postInfo.rates}
          subject="this post"
          onVote={rights.vote ? (vote) => void voting.run(() => api.posts.ratePost(post.id, vote)) : undefined}
          busy={voting.busy}
          closed={Boolean(post.moderation)}
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
      {moderates && (
        <div className="card inline-panel">
          <DecideForm
            item={{ itemType: "post", itemId: post.id }}
            state={post.moderation?.state ?? "public"}
            subject="post"
            onDecided={reload}
          />
        </div>
      )}
      {rights.report && <ReportForm item={{ itemType: "post", itemId: post.id }} subject="this post" />}
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
            {!user ? "Sign in to start the conversation." : rights.vote ? "Start the conversation below." : null}
          </EmptyState>
        ) : (
          <ol className="comment-list">
            {comments.map((comment) => (
              <CommentItem
                key={comment.id}
                comment={comment}
                rights={rightsOn(comment, reader, post)}
                closed={Boolean(post.moderation || comment.moderation)}
                linked={comment.id === linked}
                busy={voting.busy}
                onVote={(vote) => void voting.run(() => api.posts.rateComment(post.id, comment.id, vote))}
                onReply={() => {
                  setDraft((current) => replyDraft(current, comment.username));
                  commentBox.current?.focus();
                }}
                moderates={moderates}
                onDecided={reload}
              />
            ))}
          </ol>
        )}
        {post.moderation ? (
          <p className="muted">{closedWords(post.moderation)}</p>
        ) : (
          user && (
            <CommentForm postId={post.id} text={draft} onText={setDraft} inputRef={commentBox} onPosted={reload} />
          )
        )}
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
