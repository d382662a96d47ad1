import { useState, type ReactNode } from "react";
import { codeProblem } from "../lib/validation";
import { ActionForm } from "./ActionForm";
import { TextField } from "./Field";

interface CodeFormProps {
  label: string;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: (code: string) => void;
  /** Take the focus when shown: for a form that appears because people asked for it, not one a page opens with. */
  autoFocus?: boolean;
  /** More buttons beside the submit button. */
  actions?: ReactNode;
}

/** A 6-digit code (authenticator app or SMS), checked before it is sent. */
export function CodeForm({ label, submitLabel, busy, error, onSubmit, autoFocus = false, actions }: CodeFormProps) {
  const [code, setCode] = useState("");
  return (
    <ActionForm
      className="code-form"
      check={() => codeProblem(code)}
      onSend={() => onSubmit(code.trim())}
      busy={busy}
      error={error}
      label={submitLabel}
      busyLabel="Checking…"
      actions={actions}
    >
      <TextField
        label={label}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, ""))}
        autoFocus={autoFocus}
      />
    </ActionForm>
  );
}
