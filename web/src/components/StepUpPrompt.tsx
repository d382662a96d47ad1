import type { ReactNode } from "react";
import type { StepUpKind } from "../api";
import type { StepUpFlow } from "../lib/useStepUp";
import { CodeForm } from "./CodeForm";

const EXPLANATION: Record<StepUpKind, string> = {
  totp: "Enter the 6-digit code your authenticator app shows for Cryptotalks.",
  sms: "We sent a 6-digit code by SMS to your phone. It is valid for 5 minutes.",
};

interface StepUpPromptProps {
  flow: StepUpFlow & { asked: StepUpKind };
  submitLabel: string;
  /** More to do than forgetting the step when people cancel. */
  onCancel?: () => void;
}

/** The second step of an action: the code from the authenticator app or from the SMS (which can be sent again). */
export function StepUpPrompt({ flow, submitLabel, onCancel }: StepUpPromptProps) {
  const { asked, busy, error } = flow;
  return (
    <div className="step-up">
      <p className="step-up-explanation">{EXPLANATION[asked]}</p>
      <CodeForm
        label={asked === "totp" ? "Authenticator code" : "SMS code"}
        submitLabel={submitLabel}
        busy={busy}
        error={error}
        onSubmit={(code) => void flow.submitCode(code)}
      >
        {asked === "sms" && (
          <button type="button" className="button" disabled={busy} onClick={() => void flow.start()}>
            Send a new code
          </button>
        )}
        <button
          type="button"
          className="button button-quiet"
          disabled={busy}
          onClick={() => {
            flow.cancel();
            onCancel?.();
          }}
        >
          Cancel
        </button>
      </CodeForm>
    </div>
  );
}

/** The form of an action guarded by a step-up, replaced by the code prompt while the API waits for the code. */
export function WithStepUp({
  flow,
  submitLabel,
  children,
}: {
  flow: StepUpFlow;
  submitLabel: string;
  children: ReactNode;
}) {
  const { asked } = flow;
  if (!asked) return <>{children}</>;
  return <StepUpPrompt flow={{ ...flow, asked }} submitLabel={submitLabel} />;
}
