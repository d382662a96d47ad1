import type { ReactNode } from "react";
import type { Resource } from "../lib/useResource";
import { ErrorMessage, Loading } from "./Status";

interface LoadedProps<T> {
  resource: Resource<T>;
  loadingLabel?: string;
  /** Where to go instead when it cannot be loaded (a link back). */
  fallback?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Data once it is there; meanwhile a loading line; an error in words (with "Try again") when it fails. */
export function Loaded<T>({ resource, loadingLabel, fallback, children }: LoadedProps<T>) {
  const { data, error, reload } = resource;
  return (
    <>
      {error ? <ErrorMessage error={error} onRetry={reload} /> : null}
      {data !== undefined ? children(data) : error ? fallback : <Loading label={loadingLabel} />}
    </>
  );
}
