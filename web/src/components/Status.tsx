import type { ReactNode } from "react";
import { canRetry, errorText } from "../api";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

interface ErrorMessageProps {
  /** Words already, or what a call threw. */
  error: unknown;
  /** Offered when trying again may help (the network or the server failed). */
  onRetry?: () => void;
  /** What codes mean on this page, when it says them better than the usual words. */
  words?: Record<string, string>;
}

/** An error in words, with a way to try again when there is one. */
export function ErrorMessage({ error, onRetry, words }: ErrorMessageProps) {
  const text = typeof error === "string" ? error : errorText(error, words);
  return (
    <div className="alert alert-error" role="alert">
      <span>{text}</span>
      {onRetry && canRetry(error) && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body">{children}</div>}
    </div>
  );
}
