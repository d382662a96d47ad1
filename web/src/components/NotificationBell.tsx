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
      <span aria-hidden="true">🔔</span>
      {unread > 0 && (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </NavLink>
  );
}
