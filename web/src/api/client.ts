// The HTTP client: JSON in and out, the access token in memory only, silent refresh.
//
// The refresh token lives in the httpOnly cookie `_rt`, which the browser sends to GET /api/auth/refresh.
// The API rotates it on every refresh and ends all sessions when a rotated token comes back, so refreshes
// must never overlap: one at a time in this tab (a shared promise) and across tabs (a Web Lock).

import { ApiError, networkError } from "./errors";
import { tokenExpiry } from "./tokens";
import type { ErrorBody, RefreshResponse, UserProfile } from "./types";

/** "required": send the token (refreshing it when needed); "optional": send it if there is one. */
export type Auth = "none" | "optional" | "required";

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Record<string, QueryValue>;
  auth?: Auth;
}

export interface Session {
  accessToken: string;
  user: UserProfile | null;
}

export type SessionListener = (session: Session | null) => void;

export interface ClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
  setTimer?: (callback: () => void, delayMs: number) => () => void;
  /** Runs `task` while no other tab refreshes; defaults to the Web Locks API when the browser has it. */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T>;
}

const REFRESH_PATH = "/api/auth/refresh";
const REFRESH_LOCK = "cryptotalks-token-refresh";
// Never schedule refreshes closer than this, whatever the token's lifetime: calls refresh on demand anyway.
const MIN_REFRESH_DELAY_MS = 10_000;

function defaultTimer(callback: () => void, delayMs: number): () => void {
  // setTimeout fires at once beyond 2^31-1 ms; no token lives that long, but clamp anyway.
  const handle = setTimeout(callback, Math.min(delayMs, 2_147_483_647));
  return () => clearTimeout(handle);
}

function defaultExclusive<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  // The lock is held until the task's promise settles; request() answers that promise's value.
  return locks ? (locks.request(REFRESH_LOCK, task) as unknown as Promise<T>) : task();
}

export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function readError(response: Response): Promise<ApiError> {
  let code = "";
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (typeof body.message === "string") code = body.message;
  } catch {
    // not JSON (a proxy's error page): the status alone says what happened
  }
  return new ApiError(response.status, code || `http-${response.status}`);
}

export class ApiClient {
  private session: Session | null = null;
  private refreshing: Promise<Session | null> | null = null;
  private cancelTimer: (() => void) | null = null;
  private readonly listeners = new Set<SessionListener>();
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly setTimer: NonNullable<ClientOptions["setTimer"]>;
  private readonly exclusive: NonNullable<ClientOptions["exclusive"]>;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.setTimer = options.setTimer ?? defaultTimer;
    this.exclusive = options.exclusive ?? defaultExclusive;
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After sign-in: keep the token (and the user, once known) and schedule its refresh. */
  startSession(accessToken: string, user: UserProfile | null = null): void {
    this.setSession({ accessToken, user });
  }

  setUser(user: UserProfile): void {
    if (this.session) this.setSession({ ...this.session, user });
  }

  /** Forget the access token (the API clears the cookie on sign-out). */
  endSession(): void {
    this.setSession(null);
  }

  /**
   * A new access token from the refresh cookie; null when there is no valid cookie (signed out).
   * Concurrent callers share one request.
   */
  refresh(): Promise<Session | null> {
    this.refreshing ??= this.exclusive(() => this.refreshNow()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? "none";
    if (auth !== "none" && this.needsRefresh()) {
      const refreshing = this.refresh();
      // Reading works signed out, so a failed refresh does not stop an optional call.
      await (auth === "required" ? refreshing : refreshing.catch(() => null));
    }
    const token = auth === "none" ? null : (this.session?.accessToken ?? null);
    if (auth === "required" && !token) throw new ApiError(401, "invalid-token");

    const response = await this.send(path, options, token);
    if (response.status !== 401 || !token) return this.read<T>(response);

    // The token was refused: refresh (unless another call already did) and try once more.
    const renewed = this.session?.accessToken !== token ? this.session : await this.refresh();
    if (!renewed) {
      if (auth === "optional") return this.read<T>(await this.send(path, options, null));
      throw await readError(response);
    }
    const retried = await this.send(path, options, renewed.accessToken);
    if (retried.status === 401) this.endSession();
    return this.read<T>(retried);
  }

  private needsRefresh(): boolean {
    if (!this.session) return false;
    const expiry = tokenExpiry(this.session.accessToken);
    return expiry !== null && expiry - this.now() <= this.refreshMarginMs;
  }

  private async refreshNow(): Promise<Session | null> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + REFRESH_PATH, { credentials: "same-origin" });
    } catch {
      throw networkError();
    }
    if (response.status === 401 || response.status === 404) {
      this.endSession();
      return null;
    }
    const body = await this.read<RefreshResponse>(response);
    this.setSession({ accessToken: body._at, user: body.user });
    return this.session;
  }

  private async send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["x-access-token"] = `Bearer ${token}`;
    try {
      return await this.fetchImpl(this.baseUrl + path + queryString(options.query), {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: "same-origin",
      });
    } catch {
      throw networkError();
    }
  }

  private async read<T>(response: Response): Promise<T> {
    if (!response.ok) throw await readError(response);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, "internal-error");
    }
  }

  private setSession(session: Session | null): void {
    this.session = session;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const expiry = session ? tokenExpiry(session.accessToken) : null;
    if (expiry !== null) {
      const delay = Math.max(expiry - this.now() - this.refreshMarginMs, MIN_REFRESH_DELAY_MS);
      // A failed silent refresh is not an error to show: the next call refreshes (or signs out) again.
      this.cancelTimer = this.setTimer(() => void this.refresh().catch(() => undefined), delay);
    }
    for (const listener of this.listeners) listener(session);
  }
}
