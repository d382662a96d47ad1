import { describe, expect, it, vi } from "vitest";
import { jwt, scriptedFetch, user } from "../test/fakes";
import { ApiClient, queryString } from "./client";
import { ApiError } from "./errors";

const NOW = 1_800_000_000_000;
const token = (expiresInSeconds: number, id = "a") => jwt({ userId: user.id, exp: NOW / 1000 + expiresInSeconds, id });

function clientWith(fetch: typeof globalThis.fetch, timers: { delay: number; fire: () => void }[] = []) {
  return new ApiClient({
    fetch,
    now: () => NOW,
    exclusive: (task) => task(),
    setTimer: (fire, delay) => {
      timers.push({ delay, fire });
      return () => undefined;
    },
  });
}

describe("ApiClient", () => {
  it("sends JSON with the access token in x-access-token, and reads JSON", async () => {
    const { fetch, calls } = scriptedFetch(() => ({ status: 201, body: { id: "1", slug: "s", message: "success" } }));
    const client = clientWith(fetch);
    client.startSession(token(900));
    const answer = await client.request("/api/posts/create", {
      method: "POST",
      body: { title: "t" },
      auth: "required",
    });
    expect(answer).toEqual({ id: "1", slug: "s", message: "success" });
    expect(calls[0]).toMatchObject({
      url: "/api/posts/create",
      method: "POST",
      body: { title: "t" },
      headers: { "x-access-token": `Bearer ${token(900)}`, "Content-Type": "application/json" },
    });
  });

  it("never sends the token to public calls", async () => {
    const { fetch, calls } = scriptedFetch(() => ({ status: 200, body: {} }));
    const client = clientWith(fetch);
    client.startSession(token(900));
    await client.request("/api/crypto/market-stats");
    expect(calls[0]!.headers["x-access-token"]).toBeUndefined();
  });

  it("turns error bodies into ApiError with the API's code and words for people", async () => {
    const { fetch } = scriptedFetch(() => ({
      status: 403,
      body: { statusCode: 403, message: "wrong-credentials", error: "Wrong credentials" },
    }));
    const error = await clientWith(fetch)
      .request("/api/user/sign-in", { method: "POST", body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: "wrong-credentials",
      message: "The email address or password is not right.",
    });
  });

  it("says so when the API cannot be reached, or answers something that is not JSON", async () => {
    const offline = scriptedFetch(() => new TypeError("Failed to fetch"));
    await expect(clientWith(offline.fetch).request("/api/crypto/market-stats")).rejects.toMatchObject({
      code: "network-error",
    });
    const proxyPage = scriptedFetch(() => ({ status: 502 }));
    await expect(clientWith(proxyPage.fetch).request("/api/crypto/market-stats")).rejects.toMatchObject({
      status: 502,
      message: "Something went wrong on our side. Try again in a moment.",
    });
  });

  it("refreshes first when the access token is about to expire", async () => {
    const fresh = token(900, "fresh");
    const { fetch, calls } = scriptedFetch((call) =>
      call.url === "/api/auth/refresh"
        ? { status: 200, body: { _at: fresh, user } }
        : { status: 200, body: { ok: true } },
    );
    const client = clientWith(fetch);
    client.startSession(token(30));
    await client.request("/api/user/get-settings", { auth: "required" });
    expect(calls.map((call) => call.url)).toEqual(["/api/auth/refresh", "/api/user/get-settings"]);
    expect(calls[1]!.headers["x-access-token"]).toBe(`Bearer ${fresh}`);
    expect(client.current).toEqual({ accessToken: fresh, user });
  });

  it("on a 401, refreshes once and tries the call again", async () => {
    const old = token(900, "old");
    const fresh = token(900, "fresh");
    const { fetch, calls } = scriptedFetch((call) => {
      if (call.url === "/api/auth/refresh") return { status: 200, body: { _at: fresh, user } };
      return call.headers["x-access-token"] === `Bearer ${fresh}`
        ? { status: 200, body: { message: "success" } }
        : { status: 401, body: { statusCode: 401, message: "token-expired" } };
    });
    const client = clientWith(fetch);
    client.startSession(old);
    await expect(client.request("/api/user/logout", { auth: "required" })).resolves.toEqual({ message: "success" });
    expect(calls.map((call) => call.url)).toEqual(["/api/user/logout", "/api/auth/refresh", "/api/user/logout"]);
  });

  it("ends the session when the refresh cookie is refused, and reports the original error", async () => {
    const { fetch } = scriptedFetch((call) =>
      call.url === "/api/auth/refresh"
        ? { status: 401, body: { statusCode: 401, message: "invalid-token" } }
        : { status: 401, body: { statusCode: 401, message: "token-expired" } },
    );
    const client = clientWith(fetch);
    const seen: unknown[] = [];
    client.subscribe((session) => seen.push(session));
    client.startSession(token(900));
    await expect(client.request("/api/user/get-settings", { auth: "required" })).rejects.toMatchObject({
      code: "token-expired",
    });
    expect(client.current).toBeNull();
    expect(seen.at(-1)).toBeNull();
  });

  it("retries a refused optional call without the token (reading works signed out)", async () => {
    const { fetch, calls } = scriptedFetch((call) => {
      if (call.url === "/api/auth/refresh") return { status: 401, body: { statusCode: 401, message: "invalid-token" } };
      return call.headers["x-access-token"]
        ? { status: 401, body: { statusCode: 401, message: "token-expired" } }
        : { status: 200, body: { rows: [] } };
    });
    const client = clientWith(fetch);
    client.startSession(token(900));
    await expect(client.request("/api/posts/get/x", { auth: "optional" })).resolves.toEqual({ rows: [] });
    expect(calls).toHaveLength(3);
  });

  it("shares one refresh between concurrent callers: a rotated cookie must never be sent twice", async () => {
    let refreshes = 0;
    const { fetch } = scriptedFetch(async (call) => {
      if (call.url !== "/api/auth/refresh") return { status: 200, body: {} };
      refreshes += 1;
      await new Promise((done) => setTimeout(done, 5));
      return { status: 200, body: { _at: token(900, `r${refreshes}`), user } };
    });
    const client = clientWith(fetch);
    client.startSession(token(10));
    await Promise.all([
      client.request("/api/a", { auth: "required" }),
      client.request("/api/b", { auth: "required" }),
      client.refresh(),
    ]);
    expect(refreshes).toBe(1);
  });

  it("runs each refresh under the cross-tab lock", async () => {
    let locked = 0;
    const exclusive = <T>(task: () => Promise<T>) => {
      locked += 1;
      return task();
    };
    const { fetch } = scriptedFetch(() => ({ status: 200, body: { _at: token(900), user } }));
    const client = new ApiClient({ fetch, exclusive, now: () => NOW, setTimer: () => () => undefined });
    await client.refresh();
    expect(locked).toBe(1);
  });

  it("schedules a silent refresh a minute before the token expires", async () => {
    const timers: { delay: number; fire: () => void }[] = [];
    const { fetch, calls } = scriptedFetch(() => ({ status: 200, body: { _at: token(900, "next"), user } }));
    const client = clientWith(fetch, timers);
    client.startSession(token(900));
    expect(timers.at(-1)!.delay).toBe(840_000);
    timers.at(-1)!.fire();
    await vi.waitFor(() => expect(client.current?.accessToken).toBe(token(900, "next")));
    expect(calls.map((call) => call.url)).toEqual(["/api/auth/refresh"]);
  });

  it("reports a restored session as none when there is no refresh cookie", async () => {
    const { fetch } = scriptedFetch(() => ({ status: 401, body: { statusCode: 401, message: "invalid-token" } }));
    await expect(clientWith(fetch).refresh()).resolves.toBeNull();
  });

  it("refuses signed-in calls without a session, without calling the API", async () => {
    const { fetch, calls } = scriptedFetch(() => ({ status: 200, body: {} }));
    await expect(clientWith(fetch).request("/api/user/get-settings", { auth: "required" })).rejects.toMatchObject({
      status: 401,
    });
    expect(calls).toHaveLength(0);
  });
});

describe("queryString", () => {
  it("leaves out empty values and encodes the rest", () => {
    expect(queryString({ searchQuery: "bitcoin & co", username: undefined, tags: "", page: 0 })).toBe(
      "?searchQuery=bitcoin+%26+co&page=0",
    );
    expect(queryString({})).toBe("");
  });
});
