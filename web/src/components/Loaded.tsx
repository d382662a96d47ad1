import type { ReactNode } from "react";
import type { Resource } from "../lib/useResource";
import { ErrorMessage, Loading } from "./Status";

interface LoadedProps<T> {
  resource: Resource<T>;
  loadingLabel?: string;
  /** Where to go instead when it cannot be loaded (a link back). */
  fallback?: ReactNode;
  /** What error codes mean on this page. */
  errorWords?: Record<string, string>;
  children: (data: T) => ReactNode;
}

/** Data once it is there; meanwhile a loading line; an error in words (with "Try again") when it fails. */
export function Loaded<T>({ resource, loadingLabel, fallback, errorWords, children }: LoadedProps<T>) {
  const { data, error, reload } = resource;
  return (
    <>
      {error ? <ErrorMessage error={error} onRetry={reload} words={errorWords} /> : null}
      {data !== undefined ? children(data) : error ? fallback : <Loading label={loadingLabel} />}
    </>
  );
}
