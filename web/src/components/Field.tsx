import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  problem?: string | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function FieldFrame({ label, hint, problem, children }: FieldFrameProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : "";
  const problemId = problem ? `${id}-problem` : "";
  const describedBy = [hintId, problemId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${problem ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(problem) })}
      {hint && (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      )}
      {problem && (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: ReactNode;
  problem?: string | null;
};

export function TextField({ label, hint, problem, ...input }: TextFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </FieldFrame>
  );
}

type TextAreaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  hint?: ReactNode;
  problem?: string | null;
};

export function TextArea({ label, hint, problem, ...textarea }: TextAreaProps) {
  return (
    <FieldFrame label={label} hint={hint} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...textarea} />
      )}
    </FieldFrame>
  );
}
