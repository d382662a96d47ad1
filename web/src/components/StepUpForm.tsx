import type { StepUpKind } from "../api";
import type { StepUpFlow } from "../lib/useStepUp";
import { ActionForm, type ActionFormProps } from "./ActionForm";
import { CodeForm } from "./CodeForm";

const EXPLANATION: Record<StepUpKind, string> = {
  totp: "Enter the 6-digit code your authenticator app shows for Cryptotalks.",
  sms: "We sent a 6-digit code by SMS to your phone. It is valid for 5 minutes.",
};

interface StepUpPromptProps {
  flow: StepUpFlow;
  kind: StepUpKind;
  submitLabel: string;
  onCancel?: () => void;
}

/** The second step of an action: the code from the authenticator app or from the SMS (which can be sent again). */
function StepUpPrompt({ flow, kind, submitLabel, onCancel }: StepUpPromptProps) {
  const { busy, error } = flow;
  return (
    <div className="step-up">
      <p className="step-up-explanation">{EXPLANATION[kind]}</p>
      <CodeForm
        label={kind === "totp" ? "Authenticator code" : "SMS code"}
        submitLabel={submitLabel}
        busy={busy}
        error={error}
        onSubmit={(code) => void flow.submitCode(code)}
        autoFocus
        actions={
          <>
            {kind === "sms" && (
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
          </>
        }
      />
    </div>
  );
}

interface StepUpFormProps extends Omit<ActionFormProps, "onSend" | "busy" | "error"> {
  flow: StepUpFlow;
  /** The code prompt's button, when it should say something else than the form's. */
  codeLabel?: string;
  /** More to do than going back to the form when people cancel the code prompt. */
  onCancel?: () => void;
}

/** The form of an action guarded by a step-up, replaced by the code prompt while the API waits for the code. */
export function StepUpForm({ flow, codeLabel, onCancel, ...form }: StepUpFormProps) {
  if (flow.asked) {
    return <StepUpPrompt flow={flow} kind={flow.asked} submitLabel={codeLabel ?? form.label} onCancel={onCancel} />;
  }
  return <ActionForm {...form} onSend={() => void flow.start()} busy={flow.busy} error={flow.error} />;
}
