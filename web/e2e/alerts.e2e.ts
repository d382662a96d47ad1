// Price alerts and notifications, in headless Chromium against a running `cryptotalks dev`: set an alert on a
// coin's page, run a coin sync (CRYPTOTALKS_SYNC_COMMAND) whose prices cross it, see the bell's count and the
// notification, open it.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, header, auditAndScreenshot, signedInMember, type PageProblems } from "./support";

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const member = { email: `alert-${run}@example.com`, username: `alert_${run}`, password: "Hodl!2009alrt" };
const BITCOIN = "Qwsogvtv82FCd";
// The recorded market data the site syncs without a Coinranking key.
const SNAPSHOT = new URL("../../layers/cryptotalks/crypto/market_data/snapshot.json", import.meta.url);
const RISE = 1.1; // the risen market's prices, as factors of the recorded ones

const watch: PageProblems = { problems: [] };
let browser: Browser;
let desktop: { context: BrowserContext; page: Page };
let risenMarket: Server;

/** A coin sync on the running site, as its hourly schedule runs it: the command is a JSON array. Without a
 * Coinranking key (`settings`), it stores the recorded prices. Not synchronous: the stand-in it may call answers
 * from this process. */
async function syncCoins(settings: Record<string, string> = {}): Promise<void> {
  const [program, ...args] = JSON.parse(process.env.CRYPTOTALKS_SYNC_COMMAND ?? "[]") as string[];
  if (!program) throw new Error("Set CRYPTOTALKS_SYNC_COMMAND to the coin sync's command (a JSON array)");
  // The site's own settings, not this process's: only the path (and the market to read) goes along.
  await promisify(execFile)(program, args, { env: { PATH: process.env.PATH ?? "", ...settings } });
}

/** A stand-in for Coinranking's `/coins`: the recorded ranking, every price risen by RISE. */
async function serveRisenMarket(): Promise<Server> {
  const recorded = JSON.parse(readFileSync(SNAPSHOT, "utf8")).coinranking["/coins"];
  const coins = recorded.data.coins.map((coin: { price: string | null }) => ({
    ...coin,
    price: coin.price === null ? null : String(Number(coin.price) * RISE),
  }));
  const body = JSON.stringify({
    status: "success",
    data: { stats: { ...recorded.data.stats, total: coins.length }, coins },
  });
  const server = createServer((_, response) =>
    response.writeHead(200, { "Content-Type": "application/json" }).end(body),
  );
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return server;
}

function risenMarketSettings(): Record<string, string> {
  const { port } = risenMarket.address() as AddressInfo;
  return {
    COINRANKING_API_KEY: "stand-in",
    COINRANKING_API_URL: `http://127.0.0.1:${port}`,
    COIN_DESCRIPTIONS_PER_SYNC: "0",
  };
}

beforeAll(async () => {
  ({ browser, desktop } = await signedInMember(member, watch));
  risenMarket = await serveRisenMarket();
});

afterAll(async () => {
  await browser?.close();
  risenMarket?.close();
  await syncCoins(); // the recorded prices again, for the journeys that follow
});

describe("a member's price alert", () => {
  it("sets an alert on the coin's page", async () => {
    const { page } = desktop;
    await syncCoins(); // the recorded prices, whatever an earlier test left
    const coin = (await (await fetch(`${BASE_URL}/api/crypto/get/${BITCOIN}`)).json()) as { price: number };
    await page.goto(`/coins/${BITCOIN}`);
    await page.getByRole("heading", { name: "Price alert" }).waitFor();
    await page.getByLabel("When").selectOption("above");
    // Halfway to the risen market's price: the sync that reads it crosses the alert. (An alert whose condition
    // holds already when it is set waits for a crossing.)
    await page.getByLabel("Price in USD").fill(String(Math.ceil((coin.price * (1 + RISE)) / 2)));
    await page.getByRole("button", { name: "Alert me" }).click();
    await page.getByText(/Alert set/).waitFor();
    await page.goto("/settings#settings-alerts");
    await page.getByRole("button", { name: /Delete the alert on Bitcoin above/ }).waitFor();
    await auditAndScreenshot(page, "settings-alerts");
  });

  it("sees the bell count and the notification after a coin sync", async () => {
    const { page } = desktop;
    await syncCoins(risenMarketSettings());
    const bell = header(page).getByRole("link", { name: /^Notifications, 1 unread$/ });
    await expect
      .poll(
        async () => {
          await page.goto("/coins"); // each page asks the bell's count again
          return bell.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    await bell.click();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    const item = page.getByRole("link", { name: /BTC rose above/ });
    await item.waitFor();
    await auditAndScreenshot(page, "notifications");
    await item.click();
    await page.waitForURL(`**/coins/${BITCOIN}`);
    await header(page).getByRole("link", { name: "Notifications, none unread" }).waitFor();
    expect(watch.problems).toEqual([]);
  });
});
