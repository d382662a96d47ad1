// Comments are flat: a reply names whom it answers with @username, which notifies them as a mention.

const LEADING_MENTION = /^@[A-Za-z0-9_.-]+\s*/;

/** The comment box's text after "Reply" to `username`: what was typed stays, after @username (which replaces the
 * mention of whom it answered before). */
export function replyDraft(current: string, username: string): string {
  return `@${username} ${current.replace(LEADING_MENTION, "")}`;
}

/** The id of the comment a link's #comment-<id> names (notifications link to comments so), or null; `target` is
 * the fragment without its #. */
export function linkedCommentId(target: string): string | null {
  const match = /^comment-(.+)$/.exec(target);
  return match?.[1] ?? null;
}
