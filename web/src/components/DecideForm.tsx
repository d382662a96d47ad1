import { api } from "../api";
import type { DecideRequest, Decision, ModerationMark } from "../api/types";
import { decisionsOn, decisionWords } from "../lib/moderation";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
import { TextArea } from "./Field";
import { ErrorMessage } from "./Status";

const LOOKS: Record<Decision, string> = {
  hide: "button button-danger",
  restore: "button",
  dismiss: "button button-quiet",
};

interface DecideFormProps {
  item: Pick<DecideRequest, "itemType" | "itemId">;
  state: ModerationMark["state"] | "public";
  /** What is decided on, for screen readers: "post “Hello”", "comment by bob". */
  subject: string;
  /** The queue also offers to dismiss the reports. */
  inQueue?: boolean;
  onDecided: () => void;
}

/** A moderator's decision on a post or a comment, with a note for its author. */
export function DecideForm({ item, state, subject, inQueue = false, onDecided }: DecideFormProps) {
  const { values, bind } = useFields({ note: "" });
  const decide = useAction((decision: Decision) =>
    api.moderation.decide({ ...item, decision, note: values.note.trim() || null }),
  );
  const act = (decision: Decision) => void decide.run(decision).then((ok) => ok && onDecided());
  return (
    <div className="form decide-form">
      <TextArea label="Note for the author (optional)" rows={2} maxLength={1000} {...bind("note")} />
      {decide.error && <ErrorMessage error={decide.error} />}
      <div className="form-actions" role="group" aria-label={`Decide on the ${subject}`}>
        {decisionsOn(state, inQueue).map((decision) => (
          <button
            key={decision}
            type="button"
            className={LOOKS[decision]}
            disabled={decide.busy}
            onClick={() => act(decision)}
          >
            {decisionWords(decision, state)}
          </button>
        ))}
      </div>
    </div>
  );
}
