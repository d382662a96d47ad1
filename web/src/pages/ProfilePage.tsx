import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, notFoundWords } from "../api";
import type { PublicProfile } from "../api/types";
import { Avatar } from "../components/Avatar";
import { CoinIcon } from "../components/CoinIcon";
import { Pagination } from "../components/Pagination";
import { PostCard } from "../components/PostCard";
import { Loaded } from "../components/Loaded";
import { EmptyState } from "../components/Status";
import { displayName, formatChange, formatDate, formatPrice } from "../lib/format";
import { usePageTitle } from "../lib/usePageTitle";
import { externalUrl } from "../lib/urls";
import { useResource } from "../lib/useResource";
import { useSession } from "../session/session";

const POSTS_PER_PAGE = 5;
const FAVORITES_SHOWN = 50;

function ProfileLinks({ profile }: { profile: PublicProfile }) {
  const links = [
    profile.personalWebsite && { label: "Website", href: externalUrl(profile.personalWebsite, "https://") },
    profile.twitter && { label: "X / Twitter", href: externalUrl(profile.twitter, "https://x.com/") },
    profile.linkedIn && { label: "LinkedIn", href: externalUrl(profile.linkedIn, "https://www.linkedin.com/in/") },
    profile.email && { label: profile.email, href: `mailto:${profile.email}` },
  ].filter((link): link is { label: string; href: string } => Boolean(link));
  if (links.length === 0) return null;
  return (
    <ul className="profile-links">
      {links.map((link) => (
        <li key={link.href}>
          <a
            href={link.href}
            rel="noopener noreferrer nofollow"
            target={link.href.startsWith("mailto:") ? undefined : "_blank"}
          >
            {link.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

function AuthorPosts({ username }: { username: string }) {
  const [pageNumber, setPage] = useState(0);
  const posts = useResource(
    () => api.posts.list({ page: pageNumber, pageSize: POSTS_PER_PAGE, order: "DESC", orderBy: "createdAt", username }),
    `${username}:${pageNumber}`,
    true,
  );
  return (
    <section aria-labelledby="profile-posts">
      <h2 id="profile-posts">Posts</h2>
      <Loaded resource={posts} loadingLabel="Loading posts…">
        {(page) =>
          page.rows.length === 0 ? (
            <EmptyState title={`${username} has not written any posts yet.`} />
          ) : (
            <div className="list">
              {page.rows.map((post) => (
                <PostCard key={post.id} post={post} level={3} />
              ))}
              <Pagination
                page={pageNumber}
                pageSize={POSTS_PER_PAGE}
                count={page.count}
                noun="post"
                onChange={setPage}
              />
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

function FavoriteCoins({ username }: { username: string }) {
  const coins = useResource(
    () => api.crypto.favorites({ page: 0, pageSize: FAVORITES_SHOWN, order: "ASC", orderBy: "rank", username }),
    username,
  );
  return (
    <section aria-labelledby="profile-coins" className="card">
      <h2 id="profile-coins">Favourite coins</h2>
      <Loaded resource={coins} loadingLabel="Loading coins…">
        {(page) =>
          page.rows.length === 0 ? (
            <EmptyState title="No favourite coins yet." />
          ) : (
            <ul className="favorite-coins">
              {page.rows.map((coin) => (
                <li key={coin.uuid}>
                  <Link to={`/coins/${encodeURIComponent(coin.uuid)}`}>
                    <CoinIcon url={coin.iconUrl} symbol={coin.symbol} size={22} />
                    <span className="coin-name">{coin.name}</span>
                    <span className="muted">{coin.symbol}</span>
                  </Link>
                  <span className="numeric">{formatPrice(coin.price)}</span>
                  <span className={`numeric change ${coin.change !== null && coin.change < 0 ? "down" : "up"}`}>
                    {formatChange(coin.change)}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

export function ProfilePage() {
  const { username = "" } = useParams();
  const { user } = useSession();
  const profile = useResource(() => api.user.profile(username), username);
  usePageTitle(username);

  return (
    <Loaded
      resource={profile}
      loadingLabel="Loading the profile…"
      fallback={<Link to="/">Back to the posts</Link>}
      errorWords={notFoundWords("user-not-found")}
    >
      {({ data: person }) => <Profile person={person} isSelf={user?.id === person.id} />}
    </Loaded>
  );
}

function Profile({ person, isSelf }: { person: PublicProfile; isSelf: boolean }) {
  return (
    <div className="profile">
      <header className="card profile-header">
        <Avatar name={person.username} url={person.profilePicUrl} size={96} />
        <div className="profile-summary">
          <h1>{displayName(person)}</h1>
          <p className="muted">
            @{person.username}
            {person.title && <> · {person.title}</>} · member since {formatDate(person.createdAt)}
          </p>
          {person.bio && <p className="profile-bio">{person.bio}</p>}
          <ProfileLinks profile={person} />
          {isSelf && (
            <Link className="button button-small" to="/settings">
              Edit your profile
            </Link>
          )}
        </div>
      </header>
      <div className="profile-columns">
        <AuthorPosts username={person.username} />
        <FavoriteCoins username={person.username} />
      </div>
    </div>
  );
}
