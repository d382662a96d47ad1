import { useState, type FormEvent, type ReactNode } from "react";
import { ErrorMessage } from "./Status";

export interface ActionFormProps {
  /** What is wrong with the form as filled in, in words, or null; checked before anything is sent. */
  check?: () => string | null;
  /** Sends the form once it passes the check. */
  onSend: () => void;
  busy: boolean;
  /** The last send's error, in words. */
  error: string | null;
  label: string;
  /** The button's words while the form is sent. */
  busyLabel: string;
  look?: "primary" | "danger" | "plain";
  /** Classes beside `form`. */
  className?: string;
  /** Buttons or links beside the submit button. */
  actions?: ReactNode;
  children?: ReactNode;
}

/**
 * A form that sends something: its fields, then the problem its own check found (nothing is sent then) or the
 * API's error, then the submit button, saying what happens while it is busy.
 */
export function ActionForm({
  check,
  onSend,
  busy,
  error,
  label,
  busyLabel,
  look = "primary",
  className,
  actions,
  children,
}: ActionFormProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const shown = problem ?? error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = check?.() ?? null;
    setProblem(found);
    if (!found) onSend();
  }

  return (
    <form className={className ? `form ${className}` : "form"} onSubmit={submit} noValidate>
      {children}
      {shown && <ErrorMessage error={shown} />}
      <div className="form-actions">
        <button type="submit" className={look === "plain" ? "button" : `button button-${look}`} disabled={busy}>
          {busy ? busyLabel : label}
        </button>
        {actions}
      </div>
    </form>
  );
}
