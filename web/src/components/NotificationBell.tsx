import { useEffect, useState } from "react";
import { NavLink, useLocation } from "react-router";
import { api } from "../api";
import { unreadLabel } from "../lib/alerts";

const REFRESH_MS = 60_000;

/** The header's bell: the unread count, asked again on every page change and each minute. */
export function NotificationBell() {
  const location = useLocation();
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    let current = true;
    const load = () =>
      api.notifications.list({ page: 0, pageSize: 1 }).then(
        (page) => current && setUnread(page.unread),
        () => undefined, // the bell keeps its count until the next try
      );
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [location.pathname]);

  return (
    <NavLink to="/notifications" className="bell" aria-label={unreadLabel(unread)} title={unreadLabel(unread)}>
      <svg className="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </NavLink>
  );
}
