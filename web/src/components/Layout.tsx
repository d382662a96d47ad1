import { useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useSession } from "../session/session";
import { Avatar } from "./Avatar";
import { NotificationBell } from "./NotificationBell";
import { Loading } from "./Status";

function UserMenu() {
  const { status, user, moderates, signOut } = useSession();
  const navigate = useNavigate();
  if (status === "loading") return <span className="nav-placeholder" aria-hidden="true" />;
  if (!user) {
    return (
      <>
        <NavLink to="/sign-in">Sign in</NavLink>
        <NavLink to="/sign-up" className="button button-primary button-small">
          Sign up
        </NavLink>
      </>
    );
  }
  return (
    <>
      <NavLink to="/write">Write</NavLink>
      {moderates && <NavLink to="/moderation">Moderation</NavLink>}
      <NavLink
        to={`/user/${encodeURIComponent(user.username)}`}
        className="nav-user"
        aria-label={`Your profile (${user.username})`}
      >
        <Avatar name={user.username} size={24} />
        <span>{user.username}</span>
      </NavLink>
      <NavLink to="/settings">Settings</NavLink>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          navigate("/");
          void signOut().catch(() => undefined); // signed out on this page either way
        }}
      >
        Sign out
      </button>
    </>
  );
}

export function Layout() {
  const { status, user } = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // Moving to another page closes the phone menu: adjusted while rendering, React's way for state that follows
  // a changed value (an effect would first draw the new page with the menu still open).
  const [menuPath, setMenuPath] = useState(location.pathname);
  if (menuPath !== location.pathname) {
    setMenuPath(location.pathname);
    setMenuOpen(false);
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              C
            </span>
            Cryptotalks
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="visually-hidden">Menu</span>
            <span aria-hidden="true">☰</span>
          </button>
          <nav className="site-nav" aria-label="Main">
            <div id="site-nav" className={`site-nav-links${menuOpen ? " open" : ""}`}>
              <NavLink to="/" end>
                Posts
              </NavLink>
              <NavLink to="/coins">Coins</NavLink>
              <UserMenu />
            </div>
            {/* Beside the links that phones fold into the menu: the bell and its count show at every width. */}
            {user && <NotificationBell />}
          </nav>
        </div>
      </header>
      <main id="main" className="container main">
        {/* Pages start once a page load has found (or not) an existing session. */}
        {status === "loading" ? <Loading /> : <Outlet />}
      </main>
      <footer className="site-footer">
        <div className="container">
          Cryptotalks · prices from Coinranking, refreshed hourly · <a href="/docs">API</a>
        </div>
      </footer>
    </div>
  );
}
