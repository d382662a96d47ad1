import { Link } from "react-router";
import { EmptyState, Notice } from "../components/Status";
import { usePageTitle } from "../lib/usePageTitle";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <EmptyState title="This page does not exist.">
      <Link to="/">Go to the newest posts</Link> or <Link to="/coins">look at the coins</Link>.
    </EmptyState>
  );
}

export function GoodbyePage() {
  usePageTitle("Account closed");
  return (
    <section className="narrow">
      <h1>Your account is closed</h1>
      <Notice>
        Your account is gone, and your posts and favourites are being deleted. Thank you for being part of Cryptotalks.
      </Notice>
      <Link to="/">Back to the posts</Link>
    </section>
  );
}
