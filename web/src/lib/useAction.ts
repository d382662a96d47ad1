import { useState } from "react";
import { errorText } from "../api";

export interface Action<A extends unknown[]> {
  busy: boolean;
  error: string | null;
  /** Whether the last run succeeded (to say so on the page). */
  done: boolean;
  /** true when it succeeded. */
  run: (...args: A) => Promise<boolean>;
  /** Show a problem found before calling, as if the call had failed with it. */
  fail: (words: string) => void;
  /** Forget the last run's outcome. */
  reset: () => void;
}

/** A call made from a form or button: busy while it runs, its error in words afterwards. */
export function useAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
  errorWords: Record<string, string> = {},
): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  async function run(...args: A): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await action(...args);
      setDone(true);
      return true;
    } catch (caught) {
      setError(errorText(caught, errorWords));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    error,
    done,
    run,
    fail: (words: string) => {
      setDone(false);
      setError(words);
    },
    reset: () => {
      setDone(false);
      setError(null);
    },
  };
}
