import type { ModerationMark } from "../api/types";

/** On a hidden or held item, which only its author and moderators see: why the others do not. */
export function ModerationNotice({ mark, subject }: { mark?: ModerationMark | null; subject: string }) {
  if (!mark) return null;
  const what = mark.state === "held" ? `This ${subject} waits for a moderator` : `This ${subject} is hidden`;
  return (
    <p className="moderation-notice">
      <strong>{what}:</strong> {mark.reason} <span className="muted">Only its author and the moderators see it.</span>
    </p>
  );
}
