import { Link } from "react-router";
import { api } from "../api";
import type { CoinDetails, MentionedCoin } from "../api/types";
import { formatChange, formatPrice } from "../lib/format";
import { useResource } from "../lib/useResource";

/**
 * A coin a post mentions, linking to its page: its symbol, and its current price and 24-hour change once
 * `quote` (the coin as the crypto API answers it) has come.
 */
export function CoinChip({ coin, quote }: { coin: MentionedCoin; quote?: CoinDetails }) {
  const trend = quote?.change !== null && quote?.change !== undefined && quote.change < 0 ? "down" : "up";
  return (
    <Link to={`/coins/${encodeURIComponent(coin.uuid)}`} className="coin-chip" title={coin.name}>
      <span className="coin-chip-symbol">{coin.symbol}</span>
      {quote && (
        <>
          {" "}
          <span className="numeric">{formatPrice(quote.price)}</span>{" "}
          <span className={`change ${trend}`}>
            {formatChange(quote.change)}
            <span className="visually-hidden"> in 24h</span>
          </span>
        </>
      )}
    </Link>
  );
}

/** Composed here, not by the posts API: prices move every hour and belong to the crypto context. */
function LiveCoinChip({ coin }: { coin: MentionedCoin }) {
  const quote = useResource(() => api.crypto.get(coin.uuid), coin.uuid);
  return <CoinChip coin={coin} quote={quote.data} />;
}

export function CoinChips({ coins }: { coins: MentionedCoin[] }) {
  if (coins.length === 0) return null;
  return (
    <ul className="coin-chips" aria-label="Coins in this post">
      {coins.map((coin) => (
        <li key={coin.uuid}>
          <LiveCoinChip coin={coin} />
        </li>
      ))}
    </ul>
  );
}
