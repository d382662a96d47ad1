import { useState, type ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { useSession } from "../session/session";
import { EmptyState, Loading } from "./Status";

/**
 * Pages for signed-in people: visitors go to the sign-in page, and come back here afterwards. Someone whose
 * session ends on the page (signing out, closing the account, an expired session) is told so instead of being
 * sent away: where they go next is up to what ended it.
 */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  const [wasSignedIn, setWasSignedIn] = useState(false);
  if (status === "signed-in" && !wasSignedIn) setWasSignedIn(true);

  const signInPath = `/sign-in?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
  if (status === "loading") return <Loading />;
  if (status === "signed-out" && wasSignedIn) {
    return (
      <EmptyState title="You are signed out.">
        <Link to={signInPath}>Sign in again</Link> to go on.
      </EmptyState>
    );
  }
  if (status === "signed-out") return <Navigate to={signInPath} replace />;
  return <>{children}</>;
}
