// Test doubles and fixtures: a scripted fetch for the API client, unsigned JWTs with chosen claims, a listed post.

export function jwt(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}.signature`;
}

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body?: unknown } | Error;
type Route = (call: Call) => Answer | Promise<Answer>;

/** A fetch that answers from `route` and records every call. */
export function scriptedFetch(route: Route): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: Call = {
      url: String(input),
      method: init.method ?? "GET",
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const answer = await route(call);
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  };
  return { fetch: fake as typeof fetch, calls };
}

export const user = {
  id: "b171cb99-5eac-4b1c-a33d-34a5d679f85c",
  username: "alice",
  email: "alice@example.com",
  firstName: null,
  lastName: null,
  twitter: null,
  linkedIn: null,
  personalWebsite: null,
  title: null,
  bio: null,
  createdAt: "2026-01-01T00:00:00Z",
  isProfilePicPresent: false,
};

/** A post as a list shows it. */
export const POST_SUMMARY = {
  id: "p1",
  slug: "hello",
  title: "Hello",
  preview: "Hi",
  searchTags: [],
  createdAt: "2026-01-02T03:04:05Z",
  rating: 0,
  rates: [],
  commentCount: 0,
  userId: "u1",
  username: "bob",
};
