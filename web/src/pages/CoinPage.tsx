import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, notFoundWords } from "../api";
import type { CoinDetails } from "../api/types";
import { AlertForm } from "../components/AlertForm";
import { CoinIcon } from "../components/CoinIcon";
import { FavoriteButton } from "../components/FavoriteButton";
import { Pagination } from "../components/Pagination";
import { PostCard } from "../components/PostCard";
import { PriceChart } from "../components/PriceChart";
import { Loaded } from "../components/Loaded";
import { EmptyState, ErrorMessage, Loading } from "../components/Status";
import { formatChange, formatCompactUsd, formatPrice } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { isWebUrl } from "../lib/urls";
import { useResource } from "../lib/useResource";
import { useSession } from "../session/session";

/** CoinGecko's descriptions carry HTML (links, <br>): shown as plain paragraphs, never as markup. */
export function descriptionParagraphs(description: string): string[] {
  const text = new DOMParser().parseFromString(description, "text/html").body.textContent ?? "";
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

function CoinFigures({ coin }: { coin: CoinDetails }) {
  const figures = [
    { label: "Rank", value: `#${coin.rank}` },
    { label: "Market cap", value: formatCompactUsd(coin.marketCap) },
    { label: "Volume (24h)", value: formatCompactUsd(coin.volume24h) },
    { label: "Price in BTC", value: coin.btcPrice === null ? "—" : `${coin.btcPrice.toPrecision(4)} BTC` },
  ];
  return (
    <dl className="coin-figures">
      {figures.map((figure) => (
        <div key={figure.label} className="stat">
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}

const DISCUSSIONS_PAGE_SIZE = 10;

/** The posts that mention the coin, newest first (served by the posts API). */
function CoinDiscussions({ coin }: { coin: CoinDetails }) {
  const [page, setPage] = useState(0);
  const posts = useResource(
    () => api.posts.aboutCoin(coin.uuid, { page, pageSize: DISCUSSIONS_PAGE_SIZE }),
    `${coin.uuid}:${page}`,
    true,
  );
  return (
    <section className="coin-discussions" aria-labelledby="coin-discussions">
      <h2 id="coin-discussions">Latest discussions</h2>
      <p className="muted">
        Posts that name ${coin.symbol} or carry the tag “{coin.name.toLowerCase()}”.{" "}
        {coin.discussions24h > 0 && `${coin.discussions24h} in the last 24 hours.`}
      </p>
      {posts.error ? <ErrorMessage error={posts.error} onRetry={posts.reload} /> : null}
      {!posts.data && posts.loading && <Loading label="Loading the discussions…" />}
      {posts.data &&
        (posts.data.rows.length === 0 ? (
          <EmptyState title={`No posts about ${coin.name} yet.`}>
            Write one and mention ${coin.symbol} to start the discussion.
          </EmptyState>
        ) : (
          <div className="list">
            {posts.data.rows.map((post) => (
              <PostCard key={post.id} post={post} level={3} />
            ))}
          </div>
        ))}
      {posts.data && (
        <Pagination
          page={page}
          pageSize={DISCUSSIONS_PAGE_SIZE}
          count={posts.data.count}
          noun="post"
          onChange={setPage}
        />
      )}
    </section>
  );
}

function CoinView({ coin }: { coin: CoinDetails }) {
  const [favorite, setFavorite] = useState(Boolean(coin.isFavorite));
  const paragraphs = coin.description ? descriptionParagraphs(coin.description) : [];
  return (
    <article className="coin">
      <header className="coin-header">
        <CoinIcon url={coin.iconUrl} symbol={coin.symbol} size={48} />
        <div>
          <h1>
            {coin.name} <span className="muted">{coin.symbol}</span>
          </h1>
          <p className="coin-price">
            <span className="numeric">{formatPrice(coin.price)}</span>{" "}
            <span className={`change ${coin.change !== null && coin.change < 0 ? "down" : "up"}`}>
              {formatChange(coin.change)} in 24h
            </span>
          </p>
        </div>
        <FavoriteButton uuid={coin.uuid} name={coin.name} isFavorite={favorite} onChange={setFavorite} withText />
      </header>
      <section className="card" aria-label="Price chart">
        <PriceChart sparkline={coin.sparkline} name={coin.name} />
      </section>
      <CoinFigures coin={coin} />
      <section className="card" aria-labelledby="coin-alert">
        <h2 id="coin-alert">Price alert</h2>
        <AlertForm uuid={coin.uuid} name={coin.name} />
      </section>
      <section className="card coin-about" aria-labelledby="coin-about">
        <h2 id="coin-about">About {coin.name}</h2>
        {paragraphs.length > 0 ? (
          paragraphs.map((paragraph, index) => <p key={index}>{paragraph}</p>)
        ) : (
          <p className="muted">No description yet: it is fetched from CoinGecko in the background. Look again later.</p>
        )}
        {(coin.links.length > 0 || coin.coinrankingUrl) && (
          <ul className="coin-links">
            {coin.coinrankingUrl && isWebUrl(coin.coinrankingUrl) && (
              <li>
                <a href={coin.coinrankingUrl} target="_blank" rel="noopener noreferrer">
                  Coinranking
                </a>
              </li>
            )}
            {coin.links
              .filter((link) => isWebUrl(link.url))
              .map((link) => (
                <li key={link.url}>
                  <a href={link.url} target="_blank" rel="noopener noreferrer nofollow">
                    {link.type} <span className="muted">{new URL(link.url).hostname.replace(/^www\./, "")}</span>
                  </a>
                </li>
              ))}
          </ul>
        )}
      </section>
      <CoinDiscussions coin={coin} />
    </article>
  );
}

export function CoinPage() {
  const { uuid = "" } = useParams();
  const { user } = useSession();
  const coin = useResource(() => api.crypto.get(uuid), `${uuid}:${user?.id ?? ""}`);
  usePageTitle(coin.data?.name);
  return (
    <Loaded
      resource={coin}
      loadingLabel="Loading the coin…"
      fallback={<Link to="/coins">Back to the coins</Link>}
      errorWords={notFoundWords("no-crypto")}
    >
      {(data) => <CoinView key={data.uuid} coin={data} />}
    </Loaded>
  );
}
