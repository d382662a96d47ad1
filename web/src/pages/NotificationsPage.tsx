import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, errorText } from "../api";
import type { Notification } from "../api/types";
import { Loaded } from "../components/Loaded";
import { Pagination } from "../components/Pagination";
import { EmptyState, ErrorMessage } from "../components/Status";
import { formatDateTime } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";

const PAGE_SIZE = 20;

function Item({ item, onOpen }: { item: Notification; onOpen: (item: Notification) => void }) {
  return (
    <li className={`notification${item.read ? "" : " notification-unread"}`}>
      {!item.read && <span className="visually-hidden">Unread: </span>}
      <Link
        to={item.link}
        onClick={(event) => {
          event.preventDefault();
          onOpen(item);
        }}
      >
        {item.title}
      </Link>
      <span className="muted">
        {" "}
        · <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
      </span>
    </li>
  );
}

export function NotificationsPage() {
  usePageTitle("Notifications");
  const navigate = useNavigate();
  const [page, setPage] = useState(0);
  const notifications = useResource(() => api.notifications.list({ page, pageSize: PAGE_SIZE }), String(page), true);
  const [error, setError] = useState<string | null>(null);

  async function open(item: Notification) {
    if (!item.read) await api.notifications.markRead([item.id]).catch(() => undefined); // it opens all the same
    navigate(item.link);
  }

  async function markAllRead() {
    setError(null);
    try {
      await api.notifications.markRead();
      notifications.reload();
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  return (
    <div className="notifications">
      <h1>Notifications</h1>
      <Loaded resource={notifications} loadingLabel="Loading your notifications…">
        {(data) =>
          data.count === 0 ? (
            <EmptyState title="Nothing yet">
              Comments on your posts, mentions, vote milestones, price alerts and security events show here.
            </EmptyState>
          ) : (
            <>
              <p>
                {data.unread} unread{" "}
                {data.unread > 0 && (
                  <button type="button" className="button button-small" onClick={() => void markAllRead()}>
                    Mark all read
                  </button>
                )}
              </p>
              {error && <ErrorMessage error={error} />}
              <ul className="notification-list">
                {data.rows.map((item) => (
                  <Item key={item.id} item={item} onOpen={(chosen) => void open(chosen)} />
                ))}
              </ul>
              <Pagination page={page} pageSize={PAGE_SIZE} count={data.count} onChange={setPage} noun="notification" />
            </>
          )
        }
      </Loaded>
    </div>
  );
}
