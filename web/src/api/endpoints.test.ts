import { describe, expect, it } from "vitest";
import { jwt, scriptedFetch } from "../test/fakes";
import { ApiClient } from "./client";
import { createApi, stepUpOf } from "./endpoints";

function apiWithSession() {
  const { fetch, calls } = scriptedFetch(() => ({ status: 200, body: { message: "success" } }));
  const client = new ApiClient({ fetch, exclusive: (task) => task(), setTimer: () => () => undefined });
  client.startSession(jwt({ exp: Date.now() / 1000 + 900 }));
  return { api: createApi(client), calls };
}

describe("stepUpOf", () => {
  it("tells which second factor an answer asks for", () => {
    expect(stepUpOf({ message: "two-fa-required" })).toBe("totp");
    expect(stepUpOf({ message: "phone-two-fa-required" })).toBe("sms");
    expect(stepUpOf({ message: "code-sent" })).toBe("sms");
    expect(stepUpOf({ message: "success" })).toBeNull();
    expect(stepUpOf({ _at: "token" })).toBeNull();
  });
});

describe("the API wrapper", () => {
  it("builds list paths and filters as the API declares them", async () => {
    const { api, calls } = apiWithSession();
    await api.posts.list({
      page: 2,
      pageSize: 10,
      order: "DESC",
      orderBy: "createdAt",
      searchQuery: "halving",
      username: "alice",
      tags: ["btc", "defi"],
    });
    await api.crypto.list({ page: 0, pageSize: 25, order: "ASC", orderBy: "rank", searchQuery: "eth" });
    await api.crypto.favorites({ page: 0, pageSize: 50, order: "ASC", orderBy: "rank", username: "alice" });
    await api.crypto.list({ page: 1, pageSize: 25, order: "DESC", orderBy: "discussions24h" });
    await api.posts.aboutCoin("uW2tk-ILY0ii", { page: 1, pageSize: 5 });
    expect(calls.map((call) => call.url)).toEqual([
      "/api/posts/list/2/10/DESC/createdAt?searchQuery=halving&username=alice&tags=btc%2Cdefi",
      "/api/crypto/list/0/25/ASC/rank?searchQuery=eth",
      "/api/crypto/list-favorites/0/50/ASC/rank?username=alice",
      "/api/crypto/list/1/25/DESC/discussions24h",
      "/api/posts/coin/uW2tk-ILY0ii/1/5",
    ]);
    expect(calls[2]!.headers["x-access-token"]).toBeUndefined();
  });

  it("encodes path segments", async () => {
    const { api, calls } = apiWithSession();
    await api.posts.get("a/b?c");
    await api.user.profile("john.doe");
    expect(calls.map((call) => call.url)).toEqual(["/api/posts/get/a%2Fb%3Fc", "/api/user/get/john.doe"]);
  });

  it("puts each second factor where its endpoint reads it", async () => {
    const { api, calls } = apiWithSession();
    await api.user.signIn("a@example.com", "pw", { kind: "totp", code: "123456" });
    await api.user.signIn("a@example.com", "pw", { kind: "sms", code: "654321" });
    await api.user.changeEmail("new@example.com", "pw", { kind: "totp", code: "111111" });
    await api.user.changePassword("New!pass1", "New!pass1", "pw", { kind: "sms", code: "222222" });
    await api.user.closeAccount("pw", { kind: "totp", code: "333333" });
    await api.posts.remove("0b6f7a6e-8f0e-4b8e-9d6c-1f2e3d4c5b6a", { kind: "totp", code: "444444" });
    await api.user.setPhone("+48123456789", "555555");
    expect(calls.map((call) => call.body ?? call.url)).toEqual([
      { email: "a@example.com", password: "pw", twoFaCode: "123456" },
      { email: "a@example.com", password: "pw", code: "654321" },
      { email: "new@example.com", currentPassword: "pw", twoFaCode: "111111" },
      { password: "New!pass1", passwordRepeat: "New!pass1", currentPassword: "pw", code: "222222" },
      { password: "pw", code: "333333" },
      "/api/posts/delete/0b6f7a6e-8f0e-4b8e-9d6c-1f2e3d4c5b6a?twoFaCode=444444",
      { phone: "+48123456789", code: "555555" },
    ]);
    expect(calls[5]!.method).toBe("DELETE");
  });

  it("asks for a post to edit with toEdit=yes and the token", async () => {
    const { api, calls } = apiWithSession();
    await api.posts.get("my-post", true);
    expect(calls[0]!.url).toBe("/api/posts/get/my-post?toEdit=yes");
    expect(calls[0]!.headers["x-access-token"]).toMatch(/^Bearer /);
  });

  it("reports items and reaches the moderation routes with the token", async () => {
    const { api, calls } = apiWithSession();
    await api.posts.report({ itemType: "comment", itemId: "c1", reason: "scam", text: "phishing link" });
    await api.moderation.queue({ page: 1, pageSize: 20, order: "most-reported", state: "hidden" });
    await api.moderation.decide({ itemType: "post", itemId: "p1", decision: "hide", note: "Phishing" });
    expect(calls.map((call) => [call.method, call.url, call.body])).toEqual([
      ["POST", "/api/posts/report", { itemType: "comment", itemId: "c1", reason: "scam", text: "phishing link" }],
      ["GET", "/api/moderation/queue/1/20?order=most-reported&state=hidden", undefined],
      ["POST", "/api/moderation/decide", { itemType: "post", itemId: "p1", decision: "hide", note: "Phishing" }],
    ]);
    expect(calls.every((call) => call.headers["x-access-token"]?.startsWith("Bearer "))).toBe(true);
  });

  it("sends an email's unsubscribe token in the body, signed out", async () => {
    const { api, calls } = apiWithSession();
    await api.notifications.unsubscribe("a.b.c");
    expect(calls.map((call) => [call.method, call.url, call.body])).toEqual([
      ["POST", "/api/notifications/unsubscribe", { token: "a.b.c" }],
    ]);
    expect(calls[0]!.headers["x-access-token"]).toBeUndefined();
  });
});
