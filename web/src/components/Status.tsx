import type { ReactNode } from "react";
import { errorText } from "../api";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error in words, with a way to try again when there is one. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const text = typeof error === "string" ? error : errorText(error);
  return (
    <div className="alert alert-error" role="alert">
      <span>{text}</span>
      {onRetry && (
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
