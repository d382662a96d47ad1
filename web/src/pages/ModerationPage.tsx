import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api";
import type { QueueItem, QueueOrder, QueueState } from "../api/types";
import { DecideForm } from "../components/DecideForm";
import { Loaded } from "../components/Loaded";
import { Pagination } from "../components/Pagination";
import { REPORT_REASONS } from "../components/ReportForm";
import { EmptyState } from "../components/Status";
import { formatDateTime, plural } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";

const PAGE_SIZE = 20;
const STATE_WORDS: Record<QueueItem["state"], string> = {
  public: "Public",
  hidden: "Hidden",
  held: "Held for approval",
};
const REASON_WORDS = Object.fromEntries(REPORT_REASONS.map((reason) => [reason.value, reason.label]));

/** One item of the queue: what it is, its reports, and the moderator's decision with a note for its author. */
function QueueEntry({ item, onDecided }: { item: QueueItem; onDecided: () => void }) {
  const subject = item.itemType === "post" ? `post “${item.title}”` : `comment on “${item.title}”`;
  return (
    <li className="card queue-item">
      <h2 className="queue-item-title">
        {item.itemType === "post" ? "Post" : "Comment"}:{" "}
        <Link to={`/posts/${encodeURIComponent(item.slug)}`}>{item.title}</Link>
      </h2>
      <p className="post-card-meta">
        by <Link to={`/user/${encodeURIComponent(item.username)}`}>{item.username}</Link> · {STATE_WORDS[item.state]}
        {item.moderationReason && <> ({item.moderationReason})</>} · {plural(item.reportCount, "report")}
      </p>
      <blockquote className="queue-excerpt">{item.excerpt}</blockquote>
      {item.reports.length > 0 && (
        <ul className="queue-reports" aria-label={`Reports of the ${subject}`}>
          {item.reports.map((report) => (
            <li key={`${report.reporterId}-${report.createdAt}`}>
              <strong>{REASON_WORDS[report.reason] ?? report.reason}</strong> from {report.username},{" "}
              <time dateTime={report.createdAt}>{formatDateTime(report.createdAt)}</time>
              {report.text && <>: “{report.text}”</>}
            </li>
          ))}
        </ul>
      )}
      <DecideForm
        item={{ itemType: item.itemType, itemId: item.itemId }}
        state={item.state}
        subject={subject}
        inQueue
        onDecided={onDecided}
      />
    </li>
  );
}

const EMPTY: Record<QueueState, { title: string; words: string }> = {
  open: { title: "Nothing waits for a decision.", words: "Reported and held items show up here." },
  hidden: {
    title: "Nothing is hidden.",
    words: "Posts and comments hidden by a moderator or by reports show up here.",
  },
};

export function ModerationPage() {
  usePageTitle("Moderation");
  const [order, setOrder] = useState<QueueOrder>("newest");
  const [state, setState] = useState<QueueState>("open");
  const [page, setPage] = useState(0);
  const queue = useResource(
    () => api.moderation.queue({ page, pageSize: PAGE_SIZE, order, state }),
    `${state}:${order}:${page}`,
    true,
  );

  return (
    <section aria-labelledby="moderation-heading">
      <h1 id="moderation-heading">Moderation queue</h1>
      <div className="queue-filters">
        <div className="field queue-order">
          <label htmlFor="queue-state">Show</label>
          <select
            id="queue-state"
            value={state}
            onChange={(event) => {
              setState(event.target.value as QueueState);
              setPage(0);
            }}
          >
            <option value="open">Waiting for a decision</option>
            <option value="hidden">Hidden items, to restore</option>
          </select>
        </div>
        <div className="field queue-order">
          <label htmlFor="queue-order">Order</label>
          <select
            id="queue-order"
            value={order}
            onChange={(event) => {
              setOrder(event.target.value as QueueOrder);
              setPage(0);
            }}
          >
            <option value="newest">Newest first</option>
            <option value="most-reported">Most reported first</option>
          </select>
        </div>
      </div>
      <Loaded resource={queue} loadingLabel="Loading the queue…">
        {(data) =>
          data.rows.length === 0 ? (
            <EmptyState title={EMPTY[state].title}>{EMPTY[state].words}</EmptyState>
          ) : (
            <>
              <ol className="queue-list">
                {data.rows.map((item) => (
                  <QueueEntry key={item.itemId} item={item} onDecided={queue.reload} />
                ))}
              </ol>
              <Pagination page={page} pageSize={PAGE_SIZE} count={data.count} onChange={setPage} noun="item" />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
