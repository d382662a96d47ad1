import type { FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api";
import type { PostOrderBy, SortOrder } from "../api/types";
import { TextField } from "../components/Field";
import { Pagination, PastLastPage } from "../components/Pagination";
import { PostCard } from "../components/PostCard";
import { EmptyState, ErrorMessage, Loading } from "../components/Status";
import { useFields } from "../lib/useFields";
import { useResource } from "../lib/useResource";
import { usePageTitle } from "../lib/usePageTitle";
import { useSession } from "../session/session";

const PAGE_SIZE = 10;

const SORTS: Record<string, { label: string; orderBy: PostOrderBy; order: SortOrder }> = {
  new: { label: "Newest", orderBy: "createdAt", order: "DESC" },
  top: { label: "Top rated", orderBy: "rate", order: "DESC" },
  old: { label: "Oldest", orderBy: "createdAt", order: "ASC" },
  title: { label: "Title A–Z", orderBy: "title", order: "ASC" },
};

interface PostFilters {
  q: string;
  tag: string;
  author: string;
  /** A key of SORTS. */
  sort: string;
  /** From 0. */
  page: number;
}

type ApplyFilters = (changes: Partial<PostFilters>) => void;

/** The filters live in the address (?q=&tag=&author=&sort=&page=), so a filtered list can be shared and reloaded. */
function useFilters(): { filters: PostFilters; update: ApplyFilters } {
  const [params, setParams] = useSearchParams();
  const filters: PostFilters = {
    q: params.get("q") ?? "",
    tag: params.get("tag") ?? "",
    author: params.get("author") ?? "",
    sort: params.get("sort") && SORTS[params.get("sort")!] ? params.get("sort")! : "new",
    page: Math.max(0, Number(params.get("page") ?? "1") - 1 || 0),
  };
  function update(changes: Partial<PostFilters>) {
    const next = { ...filters, page: 0, ...changes };
    const query: Record<string, string> = {};
    if (next.q) query.q = next.q;
    if (next.tag) query.tag = next.tag;
    if (next.author) query.author = next.author;
    if (next.sort !== "new") query.sort = next.sort;
    if (next.page > 0) query.page = String(next.page + 1);
    setParams(query);
  }
  return { filters, update };
}

function FilterForm({ filters, onApply }: { filters: PostFilters; onApply: ApplyFilters }) {
  const { values, bind } = useFields({ q: filters.q, tag: filters.tag, author: filters.author });

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ q: values.q.trim(), tag: values.tag.trim().replace(/^#/, ""), author: values.author.trim() });
  }

  return (
    <form className="filters card" role="search" onSubmit={submit}>
      <div className="filters-search">
        <TextField
          label="Search posts"
          type="search"
          {...bind("q")}
          placeholder="Words in the title, text or tags"
          maxLength={200}
        />
      </div>
      <TextField label="Tag" {...bind("tag")} placeholder="bitcoin" maxLength={20} />
      <TextField label="Author" {...bind("author")} placeholder="username" maxLength={32} />
      <div className="field">
        <label htmlFor="sort-posts">Order</label>
        <select id="sort-posts" value={filters.sort} onChange={(e) => onApply({ sort: e.target.value })}>
          {Object.entries(SORTS).map(([key, sort]) => (
            <option key={key} value={key}>
              {sort.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary filters-submit">
        Search
      </button>
    </form>
  );
}

export function PostsPage() {
  usePageTitle("Posts");
  const { filters, update } = useFilters();
  const { user } = useSession();
  const sort = SORTS[filters.sort]!;
  const posts = useResource(
    () =>
      api.posts.list({
        page: filters.page,
        pageSize: PAGE_SIZE,
        order: sort.order,
        orderBy: sort.orderBy,
        searchQuery: filters.q || undefined,
        username: filters.author || undefined,
        tags: filters.tag ? [filters.tag] : undefined,
      }),
    JSON.stringify([filters, user?.id]),
    true,
  );
  const filtered = Boolean(filters.q || filters.tag || filters.author);

  return (
    <>
      <div className="page-heading">
        <h1>{filtered ? "Posts found" : "Newest posts"}</h1>
        {user && (
          <Link className="button button-primary" to="/write">
            Write a post
          </Link>
        )}
      </div>
      {/* Keyed by the address, so going back in history shows that search in the boxes. */}
      <FilterForm key={JSON.stringify(filters)} filters={filters} onApply={update} />
      {filtered && (
        <p className="filter-summary">
          {filters.q && <>Matching “{filters.q}” </>}
          {filters.tag && <>tagged #{filters.tag} </>}
          {filters.author && <>by {filters.author} </>}
          <button type="button" className="link-button" onClick={() => update({ q: "", tag: "", author: "" })}>
            Clear filters
          </button>
        </p>
      )}
      {posts.error ? <ErrorMessage error={posts.error} onRetry={posts.reload} /> : null}
      {!posts.data && posts.loading && <Loading label="Loading posts…" />}
      {posts.data && (
        <div className={posts.loading ? "list updating" : "list"} aria-busy={posts.loading}>
          {posts.data.rows.length === 0 ? (
            filters.page > 0 ? (
              <PastLastPage onFirstPage={() => update({ page: 0 })} />
            ) : filtered ? (
              <EmptyState title="No posts match these filters.">Try other words, or clear the filters.</EmptyState>
            ) : (
              <EmptyState title="No posts yet.">
                {user ? (
                  <Link to="/write">Write the first one.</Link>
                ) : (
                  <>
                    <Link to="/sign-up">Sign up</Link> and write the first one.
                  </>
                )}
              </EmptyState>
            )
          ) : (
            posts.data.rows.map((post) => <PostCard key={post.id} post={post} level={2} />)
          )}
          <Pagination
            page={filters.page}
            pageSize={PAGE_SIZE}
            count={posts.data.count}
            noun="post"
            onChange={(page) => update({ page })}
          />
        </div>
      )}
    </>
  );
}
