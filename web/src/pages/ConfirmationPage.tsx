import { Link, useParams } from "react-router";
import { api } from "../api";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import { useSession } from "../session/session";

type Kind = "account" | "email-change";

// A link confirms once: a second request would answer "already confirmed", so each hash is sent once per page
// load, however often the page renders.
const sent = new Map<string, Promise<unknown>>();

function confirmOnce(kind: Kind, hash: string): Promise<unknown> {
  const key = `${kind}:${hash}`;
  let confirming = sent.get(key);
  if (!confirming) {
    confirming = kind === "account" ? api.user.confirmAccount(hash) : api.user.confirmEmailChange(hash);
    sent.set(key, confirming);
  }
  return confirming;
}

const HEX_40 = /^[0-9a-f]{40}$/;

/** The page the confirmation emails link to: /account-confirmation/:hash and /email-change-confirmation/:hash. */
export function ConfirmationPage({ kind }: { kind: Kind }) {
  const { hash = "" } = useParams();
  const { user, reloadUser } = useSession();
  usePageTitle(kind === "account" ? "Confirm your account" : "Confirm your new email");
  const valid = HEX_40.test(hash);
  const result = useResource(
    () =>
      valid
        ? confirmOnce(kind, hash).then(() => (kind === "email-change" && user ? reloadUser() : undefined))
        : Promise.resolve(),
    `${kind}:${hash}`,
  );

  return (
    <section className="narrow">
      <h1>{kind === "account" ? "Confirm your account" : "Confirm your new email address"}</h1>
      {!valid ? (
        <ErrorMessage error="This link is not complete. Open the whole link from the email, or copy it into the address bar." />
      ) : result.loading ? (
        <Loading label="Confirming…" />
      ) : result.error ? (
        <ErrorMessage error={result.error} />
      ) : kind === "account" ? (
        <Notice>Your account is confirmed. Welcome to Cryptotalks!</Notice>
      ) : (
        <Notice>Your new email address is confirmed. Use it from now on to sign in.</Notice>
      )}
      {!result.loading && !user && (
        <Link className="button button-primary" to="/sign-in">
          Sign in
        </Link>
      )}
    </section>
  );
}
