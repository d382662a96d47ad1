import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api";
import type { CoinOrderBy, CoinSummary, SortOrder } from "../api/types";
import { CoinIcon } from "../components/CoinIcon";
import { FavoriteButton } from "../components/FavoriteButton";
import { MarketStatsBar } from "../components/MarketStatsBar";
import { Pagination, PastLastPage } from "../components/Pagination";
import { Sparkline } from "../components/Sparkline";
import { EmptyState, ErrorMessage, Loading } from "../components/Status";
import { formatChange, formatCompactUsd, formatCount, formatPrice } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import { useSession } from "../session/session";

const PAGE_SIZE = 25;
const FAVORITES_PAGE_SIZE = 100;
const SEARCH_DELAY_MS = 300;

interface Column {
  key: CoinOrderBy;
  label: string;
  /** The column's order in words, for the order menu of narrow screens (which hide some columns). */
  orderName: string;
  /** The order a first click sorts by. */
  firstOrder: SortOrder;
  className?: string;
}

const SORTABLE: Column[] = [
  { key: "rank", label: "#", orderName: "Rank", firstOrder: "ASC", className: "col-rank" },
  { key: "name", label: "Coin", orderName: "Name, A to Z", firstOrder: "ASC" },
  { key: "price", label: "Price", orderName: "Price, highest first", firstOrder: "DESC", className: "numeric" },
  {
    key: "change",
    label: "24h",
    orderName: "24h change, biggest gain first",
    firstOrder: "DESC",
    className: "numeric col-change",
  },
  {
    key: "marketCap",
    label: "Market cap",
    orderName: "Market cap, largest first",
    firstOrder: "DESC",
    className: "numeric col-wide",
  },
  {
    key: "volume24h",
    label: "Volume (24h)",
    orderName: "Volume, largest first",
    firstOrder: "DESC",
    className: "numeric col-wide",
  },
  {
    key: "discussions24h",
    label: "Posts (24h)",
    orderName: "Trending in the community",
    firstOrder: "DESC",
    className: "numeric col-wide",
  },
];

function useCoinQuery() {
  const [params, setParams] = useSearchParams();
  const orderBy = (SORTABLE.find((column) => column.key === params.get("sort"))?.key ?? "rank") as CoinOrderBy;
  const order: SortOrder =
    params.get("order") === "desc"
      ? "DESC"
      : params.get("order") === "asc"
        ? "ASC"
        : orderBy === "rank" || orderBy === "name"
          ? "ASC"
          : "DESC";
  const query = {
    q: params.get("q") ?? "",
    orderBy,
    order,
    page: Math.max(0, Number(params.get("page") ?? "1") - 1 || 0),
  };
  function update(changes: Partial<typeof query>) {
    const next = { ...query, page: 0, ...changes };
    const search: Record<string, string> = {};
    if (next.q) search.q = next.q;
    if (next.orderBy !== "rank" || next.order !== "ASC") {
      search.sort = next.orderBy;
      search.order = next.order.toLowerCase();
    }
    if (next.page > 0) search.page = String(next.page + 1);
    setParams(search, { replace: "q" in changes });
  }
  return { query, update };
}

const NO_FAVORITES: ReadonlySet<string> = new Set();

/** The signed-in reader's favourite coins (`userId`: who is signed in, if anyone), to show the stars filled. */
function useFavoriteSet(userId: string | null) {
  // Kept with whose they are: after signing out, or in as someone else, the old stars are not shown.
  const [loaded, setLoaded] = useState<{ userId: string; uuids: ReadonlySet<string> } | null>(null);
  useEffect(() => {
    if (!userId) return;
    let current = true;
    api.crypto
      .favorites({ page: 0, pageSize: FAVORITES_PAGE_SIZE, order: "ASC", orderBy: "rank" })
      .then((page) => current && setLoaded({ userId, uuids: new Set(page.rows.map((coin) => coin.uuid)) }))
      .catch(() => undefined); // the stars stay empty; toggling still works and says what went wrong
    return () => {
      current = false;
    };
  }, [userId]);
  const favorites = loaded && loaded.userId === userId ? loaded.uuids : NO_FAVORITES;
  function mark(uuid: string, favorite: boolean) {
    if (!userId) return;
    setLoaded((previous) => {
      const next = new Set(previous?.userId === userId ? previous.uuids : NO_FAVORITES);
      if (favorite) next.add(uuid);
      else next.delete(uuid);
      return { userId, uuids: next };
    });
  }
  return { favorites, mark };
}

/** Searches as people type (after a short pause); follows the address when it changes (back button). */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const sent = useRef(value);
  const search = useEffectEvent(onSearch);

  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = wanted;
      search(wanted);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <div className="field coin-search" role="search">
      <label htmlFor="search-coins">Search coins</label>
      <input
        id="search-coins"
        type="search"
        value={text}
        maxLength={100}
        placeholder="Name or symbol, like BTC"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

function CoinRow({
  coin,
  favorite,
  onFavorite,
}: {
  coin: CoinSummary;
  favorite: boolean;
  onFavorite: (on: boolean) => void;
}) {
  const link = `/coins/${encodeURIComponent(coin.uuid)}`;
  const trend = coin.change !== null && coin.change < 0 ? "down" : "up";
  return (
    <tr>
      <td className="col-rank">{coin.rank}</td>
      <td>
        <Link to={link} className="coin-cell">
          <CoinIcon url={coin.iconUrl} symbol={coin.symbol} />
          <span className="coin-name">{coin.name}</span>
          <span className="coin-symbol">{coin.symbol}</span>
        </Link>
      </td>
      <td className="numeric">
        {formatPrice(coin.price)}
        {/* On a phone the 24h column is folded in here, under the price. */}
        <span className={`change change-under-price ${trend}`}>{formatChange(coin.change)}</span>
      </td>
      <td className={`numeric change col-change ${trend}`}>{formatChange(coin.change)}</td>
      <td className="numeric col-wide">{formatCompactUsd(coin.marketCap)}</td>
      <td className="numeric col-wide">{formatCompactUsd(coin.volume24h)}</td>
      <td className="numeric col-wide">{formatCount(coin.discussions24h)}</td>
      <td className="col-chart">
        <Sparkline sparkline={coin.sparkline} label={`${coin.name} over the last 24 hours`} />
      </td>
      <td className="col-favorite">
        <FavoriteButton uuid={coin.uuid} name={coin.name} isFavorite={favorite} onChange={onFavorite} />
      </td>
    </tr>
  );
}

export function CoinsPage() {
  usePageTitle("Coins");
  const { user } = useSession();
  const { query, update } = useCoinQuery();
  const { favorites, mark } = useFavoriteSet(user?.id ?? null);
  const coins = useResource(
    () =>
      api.crypto.list({
        page: query.page,
        pageSize: PAGE_SIZE,
        order: query.order,
        orderBy: query.orderBy,
        searchQuery: query.q || undefined,
      }),
    JSON.stringify(query),
    true,
  );

  /** A column header sorts by its column, and the other way round when clicked again. */
  function sortBy(column: Column) {
    const order = column.key === query.orderBy ? (query.order === "ASC" ? "DESC" : "ASC") : column.firstOrder;
    update({ orderBy: column.key, order });
  }

  return (
    <>
      <h1>Coins</h1>
      <MarketStatsBar />
      <div className="coin-controls">
        <SearchBox value={query.q} onSearch={(q) => update({ q })} />
        <div className="field coin-order">
          <label htmlFor="order-coins">Order by</label>
          <select
            id="order-coins"
            value={query.orderBy}
            onChange={(event) => {
              const column = SORTABLE.find((candidate) => candidate.key === event.target.value)!;
              update({ orderBy: column.key, order: column.firstOrder });
            }}
          >
            {SORTABLE.map((column) => (
              <option key={column.key} value={column.key}>
                {column.orderName}
              </option>
            ))}
          </select>
        </div>
      </div>
      {coins.error ? <ErrorMessage error={coins.error} onRetry={coins.reload} /> : null}
      {!coins.data && coins.loading && <Loading label="Loading coins…" />}
      {coins.data &&
        (coins.data.rows.length === 0 && query.page > 0 ? (
          <PastLastPage onFirstPage={() => update({ page: 0 })} />
        ) : coins.data.rows.length === 0 ? (
          <EmptyState title={query.q ? `No coin matches “${query.q}”.` : "No coins yet."}>
            {query.q ? "Try a coin's name or its symbol." : "Prices arrive with the hourly sync; come back soon."}
          </EmptyState>
        ) : (
          <div className={coins.loading ? "table-wrap updating" : "table-wrap"} aria-busy={coins.loading}>
            <table className="coin-table">
              <thead>
                <tr>
                  {SORTABLE.map((column) => {
                    const active = column.key === query.orderBy;
                    return (
                      <th
                        key={column.key}
                        className={column.className}
                        aria-sort={active ? (query.order === "ASC" ? "ascending" : "descending") : undefined}
                        scope="col"
                      >
                        <button type="button" className="sort-button" onClick={() => sortBy(column)}>
                          {column.label}
                          <span aria-hidden="true" className="sort-mark">
                            {active ? (query.order === "ASC" ? " ▲" : " ▼") : ""}
                          </span>
                        </button>
                      </th>
                    );
                  })}
                  <th scope="col" className="col-chart">
                    Last 24h
                  </th>
                  <th scope="col" className="col-favorite">
                    <span className="visually-hidden">Favourite</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {coins.data.rows.map((coin) => (
                  <CoinRow
                    key={coin.uuid}
                    coin={coin}
                    favorite={favorites.has(coin.uuid)}
                    onFavorite={(on) => mark(coin.uuid, on)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {coins.data && (
        <Pagination
          page={query.page}
          pageSize={PAGE_SIZE}
          count={coins.data.count}
          noun="coin"
          onChange={(page) => update({ page })}
        />
      )}
    </>
  );
}
