import { useState } from "react";
import { stepUpOf, type SecondFactor, type StepUpKind } from "../api";
import { useAction } from "./useAction";

export interface StepUpFlow {
  /** The second factor the API asked for, while it waits for the code. */
  asked: StepUpKind | null;
  busy: boolean;
  error: string | null;
  /** Send the action without a code (the API may answer with a step-up); false when it failed. */
  start: () => Promise<boolean>;
  /** Send it again with the code people typed; false when it failed. */
  submitCode: (code: string) => Promise<boolean>;
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
  const call = useAction(async (factor?: SecondFactor) => {
    const answer = await action(factor);
    const kind = stepUpOf(answer);
    setAsked(kind);
    if (!kind) onDone(answer);
  }, errorWords);

  return {
    asked,
    busy: call.busy,
    error: call.error,
    start: () => call.run(),
    submitCode: (code: string) => call.run(asked ? { kind: asked, code: code.trim() } : undefined),
    cancel: () => {
      setAsked(null);
      call.reset();
    },
  };
}
