import { useState } from "react";

/** The coin's logo, or its symbol when the logo is missing or cannot be loaded (offline, for one). */
export function CoinIcon({ url, symbol, size = 28 }: { url: string | null; symbol: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  if (url && !failed) {
    return <img className="coin-icon" src={url} alt="" width={size} height={size} onError={() => setFailed(true)} />;
  }
  return (
    <span className="coin-icon coin-icon-fallback" style={{ width: size, height: size }} aria-hidden="true">
      {symbol.slice(0, 3)}
    </span>
  );
}
