import { useCallback, useEffect, useEffectEvent, useRef, useState } from "react";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Load again (after a change), keeping the current data on screen meanwhile. */
  reload: () => void;
}

/**
 * Data loaded by `load` whenever `key` changes. Answers to superseded loads are dropped, so a slow
 * answer for an old search never replaces the newer one. With `keepPrevious` (lists: next page, new search)
 * the previous data stays on screen while the new key loads; otherwise it is cleared.
 */
export function useResource<T>(load: () => Promise<T>, key: string, keepPrevious = false): Resource<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; loading: boolean }>({ error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loadedKey = useRef(key);
  // The newest `load` (its closure changes every render): loads follow `key`, not the closure.
  const loadNow = useEffectEvent(load);

  useEffect(() => {
    const ticket = ++latest.current;
    const keep = keepPrevious || loadedKey.current === key;
    loadedKey.current = key;
    setState((previous) => ({ data: keep ? previous.data : undefined, error: null, loading: true }));
    loadNow().then(
      (data) => {
        if (ticket === latest.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (ticket === latest.current) setState((previous) => ({ ...previous, error, loading: false }));
      },
    );
  }, [key, generation, keepPrevious]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
