import { useState } from "react";
import { errorText, stepUpOf, type SecondFactor, type StepUpKind } from "../api";

export interface StepUpFlow {
  /** The second factor the API asked for, while it waits for the code. */
  asked: StepUpKind | null;
  busy: boolean;
  error: string | null;
  /** Send the action without a code (the API may answer with a step-up). */
  start: () => Promise<void>;
  /** Send it again with the code people typed. */
  submitCode: (code: string) => Promise<void>;
  cancel: () => void;
}

/**
 * An action guarded by the API's step-up: the first call may answer `two-fa-required`, `phone-two-fa-required`
 * or `code-sent` (a success status); then the same call goes again with the code until the action is done.
 */
export function useStepUp<T extends object>(
  action: (factor?: SecondFactor) => Promise<T>,
  onDone: (answer: T) => void,
  errorWords: Record<string, string> = {},
): StepUpFlow {
  const [asked, setAsked] = useState<StepUpKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(factor?: SecondFactor): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const answer = await action(factor);
      const kind = stepUpOf(answer);
      setAsked(kind);
      if (!kind) onDone(answer);
    } catch (caught) {
      setError(errorText(caught, errorWords));
    } finally {
      setBusy(false);
    }
  }

  return {
    asked,
    busy,
    error,
    start: () => run(),
    submitCode: (code: string) => run(asked ? { kind: asked, code: code.trim() } : undefined),
    cancel: () => {
      setAsked(null);
      setError(null);
    },
  };
}
