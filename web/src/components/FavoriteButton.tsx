import { useState } from "react";
import { Link, useLocation } from "react-router";
import { api, errorText } from "../api";
import { useSession } from "../session/session";

interface FavoriteButtonProps {
  uuid: string;
  name: string;
  isFavorite: boolean;
  onChange: (isFavorite: boolean) => void;
  withText?: boolean;
}

/** A star that keeps the coin among the reader's favourites (shown on their profile). */
export function FavoriteButton({ uuid, name, isFavorite, onChange, withText = false }: FavoriteButtonProps) {
  const { status } = useSession();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (status !== "signed-in") {
    return (
      <Link
        className="favorite"
        to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}
        title="Sign in to keep favourite coins"
        aria-label={`Sign in to add ${name} to favourites`}
      >
        ☆{withText && " Favourite"}
      </Link>
    );
  }

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await (isFavorite ? api.crypto.removeFavorite(uuid) : api.crypto.addFavorite(uuid));
      onChange(!isFavorite);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const action = isFavorite ? `Remove ${name} from favourites` : `Add ${name} to favourites`;
  return (
    <span className="favorite-wrap">
      <button
        type="button"
        className={`favorite${isFavorite ? " favorite-on" : ""}`}
        aria-pressed={isFavorite}
        aria-label={action}
        title={action}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {isFavorite ? "★" : "☆"}
        {withText && (isFavorite ? " Favourite" : " Add to favourites")}
      </button>
      {error && (
        <span className="favorite-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
