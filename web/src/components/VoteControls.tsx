import type { Rate, Vote } from "../api/types";

interface VoteControlsProps {
  rating: number;
  rates: Rate[];
  /** What is voted on, for screen readers: "post", "comment by alice". */
  subject: string;
  /** Absent when the reader cannot vote (signed out). */
  onVote?: (vote: Vote) => void;
  busy?: boolean;
  /** The item takes no votes at all (it is not public): the score alone, no buttons. */
  closed?: boolean;
}

const BUTTONS: { vote: Vote; words: string; mark: string; className: string }[] = [
  { vote: "+", words: "Vote up", mark: "▲", className: "vote vote-up" },
  { vote: "-", words: "Vote down", mark: "▼", className: "vote vote-down" },
];

/** The score with + and − buttons; the reader's own vote is shown pressed. Voting the same way again withdraws it. */
export function VoteControls({ rating, rates, subject, onVote, busy = false, closed = false }: VoteControlsProps) {
  const own = rates.find((rate) => rate.rated)?.rate;
  const [up, down] = BUTTONS.map((button) => (
    <button
      key={button.vote}
      type="button"
      className={button.className}
      aria-pressed={own === button.vote}
      aria-label={`${button.words} ${subject}`}
      disabled={!onVote || busy}
      title={onVote ? undefined : "Sign in to vote"}
      onClick={() => onVote?.(button.vote)}
    >
      {button.mark}
    </button>
  ));
  return (
    <div className="votes" role="group" aria-label={`Votes on ${subject}`}>
      {!closed && up}
      <span className="score" aria-label={`Score ${rating}`} data-testid="score">
        {rating}
      </span>
      {!closed && down}
    </div>
  );
}
