// A moderator at work, in headless Chromium against a running `cryptotalks dev`: a member reports a post from
// its page, the moderator (granted with `cryptotalks grant moderator NAME` before the run: MODERATOR_EMAIL and
// MODERATOR_PASSWORD) finds it in the queue page linked from the header and hides it with a note; the post is
// gone for everyone else and marked, with the note, for its author; the moderator restores it from the hidden items.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditAndScreenshot,
  BASE_URL,
  confirmedAccount,
  DESKTOP,
  header,
  launchBrowser,
  openContext,
  PHONE,
  signIn,
  type PageProblems,
} from "./support";

const MODERATOR_EMAIL = process.env.MODERATOR_EMAIL ?? "";
const MODERATOR_PASSWORD = process.env.MODERATOR_PASSWORD ?? "";
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const author = { email: `mod-a-${run}@example.com`, username: `mod_a_${run}`, password: "Hodl!2009e2e" };
const reporter = { email: `mod-r-${run}@example.com`, username: `mod_r_${run}`, password: "Hodl!2009e2e" };
const postTitle = `Double your coins ${run}`;
const note = `Phishing link (${run})`;

const watch: PageProblems = { problems: [] };
let browser: Browser;
let slug = "";

async function signedInToken(account: { email: string; password: string }): Promise<string> {
  const answer = await fetch(`${BASE_URL}/api/user/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  return ((await answer.json()) as { _at: string })._at;
}

/** The author's post, written through the API once the posts context knows the new account. */
async function writtenPost(token: string): Promise<string> {
  const body = { title: postTitle, preview: "Send 1, get 2", content: ["Trust me."], searchTags: ["giveaway"] };
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await fetch(`${BASE_URL}/api/posts/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-access-token": `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (answer.status === 201) return ((await answer.json()) as { slug: string }).slug;
    await new Promise((done) => setTimeout(done, 500)); // user-not-found until user_created is consumed
  }
  throw new Error("the post could not be written");
}

describe.skipIf(!MODERATOR_EMAIL)("a moderator in the browser", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    await confirmedAccount(author);
    await confirmedAccount(reporter);
    slug = await writtenPost(await signedInToken(author));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a member reports the post from its page", async () => {
    const { context, page } = await openContext(browser, DESKTOP, watch);
    await signIn(page, reporter.email, reporter.password);
    await header(page)
      .getByRole("link", { name: `Your profile (${reporter.username})` })
      .waitFor();
    expect(await header(page).getByRole("link", { name: "Moderation" }).count()).toBe(0); // members see no queue
    await page.goto(`/posts/${slug}`);
    await page.getByRole("button", { name: "Report this post" }).click();
    await page.getByLabel("Reason").selectOption("scam");
    await page.getByLabel(/Details/).fill("Asks for a seed phrase");
    await page.getByRole("button", { name: "Send report" }).click();
    await page.getByText("Thanks, the moderators will look at it.").waitFor();
    await context.close();
  });

  it("the moderator hides it in the queue page with a note", async () => {
    const { context, page } = await openContext(browser, DESKTOP, watch);
    await signIn(page, MODERATOR_EMAIL, MODERATOR_PASSWORD);
    await header(page).getByRole("link", { name: "Moderation" }).click();
    await page.getByRole("heading", { name: "Moderation queue" }).waitFor();
    const entry = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: postTitle }) });
    await expect.poll(() => entry.getByText("Asks for a seed phrase").count()).toBe(1);
    await auditAndScreenshot(page, "moderation");
    await page.setViewportSize(PHONE);
    await auditAndScreenshot(page, "moderation");
    await page.setViewportSize(DESKTOP);
    await entry.getByLabel("Note for the author (optional)").fill(note);
    await entry.getByRole("button", { name: "Hide" }).click();
    await expect.poll(() => page.getByRole("link", { name: postTitle }).count()).toBe(0);
    await context.close();
  });

  it("the post is gone for others and marked for its author", async () => {
    expect((await fetch(`${BASE_URL}/api/posts/get/${slug}`)).status).toBe(404);
    const { context, page } = await openContext(browser, DESKTOP, watch);
    await signIn(page, author.email, author.password);
    await header(page)
      .getByRole("link", { name: `Your profile (${author.username})` })
      .waitFor();
    await page.goto(`/posts/${slug}`);
    await expect.poll(() => page.locator(".moderation-notice").first().textContent()).toContain(note);
    expect(await page.locator(".moderation-notice").first().textContent()).toContain("This post is hidden:");
    await context.close();
  });

  it("the moderator restores it from the hidden items", async () => {
    const { context, page } = await openContext(browser, DESKTOP, watch);
    await signIn(page, MODERATOR_EMAIL, MODERATOR_PASSWORD);
    await header(page).getByRole("link", { name: "Moderation" }).click();
    await page.getByLabel("Show").selectOption("hidden");
    const entry = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: postTitle }) });
    await entry.getByRole("button", { name: "Restore" }).click();
    await expect.poll(() => page.getByRole("link", { name: postTitle }).count()).toBe(0);
    await expect.poll(async () => (await fetch(`${BASE_URL}/api/posts/get/${slug}`)).status).toBe(200);
    await context.close();
    expect(watch.problems).toEqual([]);
  });
});
