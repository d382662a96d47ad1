import { useId, useState, type FormEvent, type ReactNode } from "react";
import { codeProblem } from "../lib/validation";
import { FormFooter } from "./FormFooter";

interface CodeFormProps {
  label: string;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: (code: string) => void;
  /** More buttons beside the submit button. */
  children?: ReactNode;
}

/** A 6-digit code (authenticator app or SMS), checked before it is sent. */
export function CodeForm({ label, submitLabel, busy, error, onSubmit, children }: CodeFormProps) {
  const id = useId();
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = codeProblem(code);
    setProblem(found);
    if (!found) onSubmit(code.trim());
  }

  return (
    <form className="form code-form" onSubmit={submit} noValidate>
      <div className={`field${problem ? " field-invalid" : ""}`}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, ""))}
          aria-invalid={Boolean(problem) || undefined}
          autoFocus
        />
        {problem && <p className="field-problem">{problem}</p>}
      </div>
      <FormFooter error={error} busy={busy} label={submitLabel} busyLabel="Checking…">
        {children}
      </FormFooter>
    </form>
  );
}
