import { api } from "../api";
import { formatCompactUsd, formatCount, formatDateTime } from "../lib/format";
import { useResource } from "../lib/useResource";
import { ErrorMessage } from "./Status";

/** The whole market at a glance, as of the latest hourly sync. */
export function MarketStatsBar() {
  const stats = useResource(() => api.crypto.marketStats(), "market-stats");
  if (stats.error) return <ErrorMessage error={stats.error} onRetry={stats.reload} />;
  const figures = [
    { label: "Market cap", value: formatCompactUsd(stats.data?.totalMarketCap) },
    { label: "Volume (24h)", value: formatCompactUsd(stats.data?.total24hVolume) },
    { label: "Coins", value: formatCount(stats.data?.totalCoins) },
    { label: "Markets", value: formatCount(stats.data?.totalMarkets) },
    { label: "Exchanges", value: formatCount(stats.data?.totalExchanges) },
  ];
  return (
    <section className="market-stats" aria-label="Market statistics" aria-busy={stats.loading}>
      <dl>
        {figures.map((figure) => (
          <div key={figure.label} className="stat">
            <dt>{figure.label}</dt>
            <dd>{stats.loading ? "…" : figure.value}</dd>
          </div>
        ))}
      </dl>
      {stats.data?.updatedAt && <p className="muted stat-time">Updated {formatDateTime(stats.data.updatedAt)}</p>}
    </section>
  );
}
