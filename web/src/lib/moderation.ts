import type { Decision, ModerationMark } from "../api/types";

/** A post or a comment as the rules below need it; `userId` is null once its author closed the account. */
export interface Item {
  userId: string | null;
  moderation?: ModerationMark | null;
}

export interface Rights {
  /** Vote buttons (and, on a post, the comment box). */
  vote: boolean;
  report: boolean;
  /** "Reply" on a comment: the comment box starts with @its author. */
  reply: boolean;
}

/**
 * What the reader (signed in as `readerId`, or null) may do with a post, or with a comment on it (`post` given). An item that is not public (hidden or
 * held, or on a post that is) takes no votes, comments or reports: the API answers its author and moderators
 * `item-not-public`, so nothing offers them. Nobody reports or replies to their own items.
 */
export function rightsOn(item: Item, readerId: string | null, post?: Item): Rights {
  const open = readerId !== null && !item.moderation && !post?.moderation;
  const someoneElses = open && item.userId !== null && item.userId !== readerId;
  return { vote: open, report: someoneElses, reply: someoneElses && post !== undefined };
}

/**
 * The decisions a moderator is offered on an item in `state`: a held item is approved (`restore`) or rejected
 * (`hide`) — dismissing its reports would leave it held; in the queue an item may also be dismissed (its reports
 * were unfounded), and a hidden one hidden again (a moderator confirms an automatic hide, with a note).
 */
export function decisionsOn(state: ModerationMark["state"] | "public", inQueue: boolean): Decision[] {
  if (state === "held") return ["restore", "hide"];
  if (inQueue) return ["hide", "restore", "dismiss"];
  return state === "public" ? ["hide"] : ["restore"];
}

/** A decision's button: restoring a held item approves it. */
export function decisionWords(decision: Decision, state: ModerationMark["state"] | "public"): string {
  if (decision === "restore") return state === "held" ? "Approve" : "Restore";
  return decision === "hide" ? "Hide" : "Dismiss reports";
}

/** Why a post that is not public shows no comment box, and its items no vote buttons. */
export function closedWords(mark: ModerationMark): string {
  return mark.state === "held"
    ? "Posts waiting for a moderator take no comments or votes."
    : "Hidden posts take no comments or votes.";
}
