import { useId, useState } from "react";
import { api } from "../api";
import type { ReportReason, ReportRequest } from "../api/types";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
import { ActionForm } from "./ActionForm";
import { TextArea } from "./Field";

export const REPORT_REASONS: { value: ReportReason; label: string }[] = [
  { value: "spam", label: "Spam" },
  { value: "abuse", label: "Abuse or harassment" },
  { value: "scam", label: "Scam or phishing" },
  { value: "off-topic", label: "Off-topic" },
  { value: "other", label: "Something else" },
];

/** "Report" on a post or a comment: a reason and a few words for the moderators. */
export function ReportForm({ item, subject }: { item: Pick<ReportRequest, "itemType" | "itemId">; subject: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason>("spam");
  const { values, bind } = useFields({ text: "" });
  const reasonId = useId();
  const text = values.text.trim();
  const send = useAction(() => api.posts.report({ ...item, reason, text: text || null }));

  if (send.done) return <p className="muted report-sent">Thanks, the moderators will look at it.</p>;
  if (!open) {
    return (
      <button type="button" className="link-button report-button" onClick={() => setOpen(true)}>
        Report<span className="visually-hidden"> {subject}</span>
      </button>
    );
  }
  return (
    <div className="card inline-panel" role="group" aria-label={`Report ${subject}`}>
      <ActionForm
        check={() => (reason === "other" && !text ? "Say what is wrong." : null)}
        onSend={() => void send.run()}
        busy={send.busy}
        error={send.error}
        label="Send report"
        busyLabel="Sending…"
        look="plain"
        actions={
          <button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
            Cancel
          </button>
        }
      >
        <div className="field">
          <label htmlFor={reasonId}>Reason</label>
          <select id={reasonId} value={reason} onChange={(event) => setReason(event.target.value as ReportReason)}>
            {REPORT_REASONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <TextArea label="Details (optional unless “Something else”)" rows={2} maxLength={1000} {...bind("text")} />
      </ActionForm>
    </div>
  );
}
