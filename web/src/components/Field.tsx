import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type TextareaHTMLAttributes } from "react";
import { PasswordRules } from "./PasswordRules";

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
  ref?: Ref<HTMLTextAreaElement>;
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

/** The inputs every account form has, with the type and autocomplete browsers need to fill them in. */
type PresetFieldProps = Omit<TextFieldProps, "label" | "type" | "autoComplete"> & { label?: string };

export function EmailField({ label = "Email address", name = "email", ...input }: PresetFieldProps) {
  return <TextField label={label} name={name} type="email" autoComplete="email" {...input} />;
}

/** A phone number in international form (the API's format). */
export function PhoneField({ label = "Phone number", name = "phone", ...input }: PresetFieldProps) {
  return <TextField label={label} name={name} type="tel" autoComplete="tel" placeholder="+48 123 456 789" {...input} />;
}

/** A password; `isNew` for one being chosen, so password managers offer to generate and save it. */
export function PasswordField({
  label = "Password",
  name = "password",
  isNew = false,
  ...input
}: PresetFieldProps & { isNew?: boolean }) {
  return (
    <TextField
      label={label}
      name={name}
      type="password"
      autoComplete={isNew ? "new-password" : "current-password"}
      {...input}
    />
  );
}

/** A password being chosen, with the rules ticked off as people type. */
export function NewPasswordField({ label = "New password", value, ...input }: PresetFieldProps & { value: string }) {
  return <PasswordField label={label} isNew value={value} hint={<PasswordRules password={value} />} {...input} />;
}

interface CheckboxFieldProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
  problem?: string | null;
}

export function CheckboxField({ label, checked, onChange, name, problem }: CheckboxFieldProps) {
  const id = useId();
  const problemId = `${id}-problem`;
  return (
    <div className={`field field-checkbox${problem ? " field-invalid" : ""}`}>
      <input
        id={id}
        type="checkbox"
        name={name}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={Boolean(problem) || undefined}
        aria-describedby={problem ? problemId : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {problem && (
        <p id={problemId} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
