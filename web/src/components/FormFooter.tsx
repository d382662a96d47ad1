import type { ReactNode } from "react";
import { ErrorMessage } from "./Status";

interface FormFooterProps {
  /** Shown above the buttons, in words. */
  error?: string | null;
  busy: boolean;
  label: string;
  busyLabel: string;
  look?: "primary" | "danger" | "plain";
  /** More buttons or links beside the submit button. */
  children?: ReactNode;
}

/** The end of every form: its error, if any, then the submit button (saying what happens while it is busy). */
export function FormFooter({ error, busy, label, busyLabel, look = "primary", children }: FormFooterProps) {
  return (
    <>
      {error && <ErrorMessage error={error} />}
      <div className="form-actions">
        <button type="submit" className={look === "plain" ? "button" : `button button-${look}`} disabled={busy}>
          {busy ? busyLabel : label}
        </button>
        {children}
      </div>
    </>
  );
}
