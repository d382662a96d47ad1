import { passwordRules } from "../lib/validation";

/** The password policy, each rule ticked off as people type. */
export function PasswordRules({ password }: { password: string }) {
  return (
    <ul className="password-rules" aria-label="Password rules">
      {passwordRules(password).map((rule) => (
        <li key={rule.id} className={rule.met ? "rule-met" : "rule-unmet"}>
          <span aria-hidden="true">{rule.met ? "✓" : "○"}</span> {rule.label}
          <span className="visually-hidden">{rule.met ? " (done)" : " (not yet)"}</span>
        </li>
      ))}
    </ul>
  );
}
