import { Link, useSearchParams } from "react-router";
import { api } from "../api";
import type { NoticeKind, Unsubscribed } from "../api/types";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { NOTICE_LABELS } from "../lib/alerts";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";

// One click from the email does it: the token is sent once per page load, however often the page renders.
const sent = new Map<string, Promise<Unsubscribed>>();

function unsubscribeOnce(token: string): Promise<Unsubscribed> {
  let sending = sent.get(token);
  if (!sending) {
    sending = api.notifications.unsubscribe(token);
    sent.set(token, sending);
    // A failed call (the network, the server) may be tried again.
    sending.catch(() => sent.delete(token));
  }
  return sending;
}

const SETTINGS = "/settings#settings-notifications";
const NOT_VALID = "This unsubscribe link is not valid. Check that you opened the whole link from the email.";

/** What the API's refusals mean on this page (a token here is the email's link, not a session). */
export const UNSUBSCRIBE_ERRORS: Record<string, string> = {
  "invalid-token": NOT_VALID,
  "validation-error": NOT_VALID,
  "token-expired": "This unsubscribe link has expired. Choose which emails you get in your settings instead.",
  "user-not-found": "The account this link was sent to no longer exists, so it gets no more emails.",
};

/** Which emails stopped, and where to choose again. */
export function UnsubscribedNotice({ kind }: { kind: NoticeKind }) {
  return (
    <Notice>
      You will get no more emails about “{NOTICE_LABELS[kind]}”. They still show under the bell when you sign in.
    </Notice>
  );
}

/** The page every email's unsubscribe link opens: /unsubscribe?token=…, signed in or not. */
export function UnsubscribePage() {
  usePageTitle("Unsubscribe");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const result = useResource(() => (token ? unsubscribeOnce(token) : Promise.resolve(null)), token);

  return (
    <section className="narrow">
      <h1>Stop these emails</h1>
      {!token ? (
        <ErrorMessage error={NOT_VALID} />
      ) : result.loading ? (
        <Loading label="Unsubscribing…" />
      ) : result.error ? (
        <ErrorMessage error={result.error} words={UNSUBSCRIBE_ERRORS} onRetry={result.reload} />
      ) : (
        result.data && <UnsubscribedNotice kind={result.data.kind} />
      )}
      {!result.loading && (
        <p>
          <Link to={SETTINGS}>Choose which notifications come by email</Link>
        </p>
      )}
    </section>
  );
}
