// Price alerts and notifications, in headless Chromium against a running `cryptotalks dev`: set an alert on a
// coin's page, run a coin sync (CRYPTOTALKS_SYNC_COMMAND), see the bell's count and the notification, open it.

import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, header, auditAndScreenshot, signedInMember, type PageProblems } from "./support";

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const member = { email: `alert-${run}@example.com`, username: `alert_${run}`, password: "Hodl!2009alrt" };
const BITCOIN = "Qwsogvtv82FCd";

const watch: PageProblems = { problems: [] };
let browser: Browser;
let desktop: { context: BrowserContext; page: Page };

/** A coin sync on the running site, as its hourly schedule runs it: the command is a JSON array. */
function syncCoins(): void {
  const [program, ...args] = JSON.parse(process.env.CRYPTOTALKS_SYNC_COMMAND ?? "[]") as string[];
  if (!program) throw new Error("Set CRYPTOTALKS_SYNC_COMMAND to the coin sync's command (a JSON array)");
  // The site's own settings, not this process's: only the path goes along.
  execFileSync(program, args, { env: { PATH: process.env.PATH ?? "" }, stdio: "pipe" });
}

beforeAll(async () => {
  ({ browser, desktop } = await signedInMember(member, watch));
});

afterAll(async () => {
  await browser?.close();
});

describe("a member's price alert", () => {
  it("sets an alert on the coin's page", async () => {
    const { page } = desktop;
    const coin = (await (await fetch(`${BASE_URL}/api/crypto/get/${BITCOIN}`)).json()) as { price: number };
    await page.goto(`/coins/${BITCOIN}`);
    await page.getByRole("heading", { name: "Price alert" }).waitFor();
    await page.getByLabel("When").selectOption("above");
    // Below today's price: the next sync finds it crossed.
    await page.getByLabel("Price in USD").fill(String(Math.floor(coin.price / 2)));
    await page.getByRole("button", { name: "Alert me" }).click();
    await page.getByText(/Alert set/).waitFor();
    await page.goto("/settings#settings-alerts");
    await page.getByRole("button", { name: /Delete the alert on Bitcoin above/ }).waitFor();
    await auditAndScreenshot(page, "settings-alerts");
  });

  it("sees the bell count and the notification after a coin sync", async () => {
    const { page } = desktop;
    syncCoins();
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
