import { plural } from "../lib/format";
import { EmptyState } from "./Status";

interface PaginationProps {
  /** From 0, as the API counts. */
  page: number;
  pageSize: number;
  count: number;
  onChange: (page: number) => void;
  /** What is counted, singular: "post", "coin". */
  noun: string;
}

export function Pagination({ page, pageSize, count, onChange, noun }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={`Pages of ${noun}s`}>
      <button type="button" className="button" disabled={page <= 0} onClick={() => onChange(page - 1)}>
        ← Previous
      </button>
      <span className="pagination-status">
        Page {page + 1} of {pages}
        <span className="pagination-count"> · {plural(count, noun)}</span>
      </span>
      <button type="button" className="button" disabled={page + 1 >= pages} onClick={() => onChange(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/** An empty page after the last one: an old link, or a list that got shorter since. */
export function PastLastPage({ onFirstPage }: { onFirstPage: () => void }) {
  return (
    <EmptyState title="There is nothing on this page.">
      <button type="button" className="link-button" onClick={onFirstPage}>
        Go to the first page
      </button>
    </EmptyState>
  );
}
