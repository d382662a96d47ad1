// A member's account and posts over time, in headless Chromium against a running `cryptotalks dev`:
// edit and delete a post, filter by tag and author, sort coins, upload a picture, add a phone for SMS codes,
// change the password and the email address with the SMS step, reset a forgotten password, close the account.

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  header,
  mailTo,
  nextSmsCode,
  publishPost,
  auditAndScreenshot,
  signIn,
  smsCount,
  signedInMember,
  type PageProblems,
} from "./support";

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const member = { email: `acct-${run}@example.com`, username: `acct_${run}`, password: "Hodl!2009acct" };
const newEmail = `acct-new-${run}@example.com`;
const newPassword = "Hodl!2010acct";
const resetPassword = "Hodl!2011acct";
// A number no other run has: an account's phone must be its own.
const phone = `+4860${String(Date.now()).slice(-7)}`;
const tag = `tag${run}`.slice(0, 20);
// A 1×1 PNG.
const PICTURE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC",
  "base64",
);

const watch: PageProblems = { problems: [] };
let browser: Browser;
let desktop: { context: BrowserContext; page: Page };

/** Sends the form, answers the SMS step with the code the phone receives, and waits for `done`. */
async function withSmsStep(page: Page, submit: () => Promise<void>, confirmLabel: string, done: string) {
  const seen = await smsCount(phone);
  await submit();
  await page.getByLabel("SMS code").fill(await nextSmsCode(phone, seen));
  await page.getByRole("button", { name: confirmLabel }).click();
  await page.getByText(done).waitFor();
}

beforeAll(async () => {
  ({ browser, desktop } = await signedInMember(member, watch));
});

afterAll(async () => {
  await browser?.close();
});

describe("a member's posts and account", () => {
  it("edits a post, finds it by tag and by author, then deletes it", async () => {
    const { page } = desktop;
    await page.goto("/write");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Give the post a title.").waitFor(); // the form explains before sending
    await auditAndScreenshot(page, "write-invalid");
    await publishPost(page, { title: `First draft ${run}`, preview: "A preview.", text: "One paragraph.", tags: tag });

    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Title", { exact: true }).fill(`Final words ${run}`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { name: `Final words ${run}` }).waitFor();

    await page.getByRole("link", { name: `#${tag}` }).click();
    await page.getByText(`tagged #${tag}`).waitFor();
    await expect.poll(() => page.locator(".post-card").count()).toBe(1);
    await auditAndScreenshot(page, "posts-by-tag");
    await page.getByLabel("Author").fill(member.username);
    await page.getByLabel("Tag", { exact: true }).fill("");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText(`by ${member.username}`, { exact: false }).first().waitFor();
    await page.getByRole("link", { name: `Final words ${run}` }).click();

    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await page.getByText(`${member.username} has not written any posts yet.`).waitFor();
  });

  it("sorts the coin table by price", async () => {
    const { page } = desktop;
    await page.goto("/coins");
    await page.getByRole("button", { name: "Price" }).click();
    const priceHeader = page.getByRole("columnheader", { name: /Price/ });
    await expect.poll(() => priceHeader.getAttribute("aria-sort")).toBe("descending");
    await expect.poll(() => new URL(page.url()).search).toBe("?sort=price&order=desc");
    await page.getByRole("button", { name: "Price" }).click();
    await expect.poll(() => priceHeader.getAttribute("aria-sort")).toBe("ascending");
  });

  it("uploads a profile picture after a preview", async () => {
    const { page } = desktop;
    await page.goto("/settings");
    await page.getByLabel("Choose a picture").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PICTURE });
    await page.getByRole("img", { name: "Preview of your new picture" }).waitFor();
    await page.getByRole("button", { name: "Use this picture" }).click();
    await page.getByText("Your new picture is saved.").waitFor();
    await page.goto(`/user/${member.username}`);
    const picture = page.getByRole("img", { name: `${member.username}'s picture` });
    await picture.waitFor();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });

  it("adds a phone for SMS codes with the code it receives", async () => {
    const { page } = desktop;
    await page.goto("/settings");
    await page.getByLabel("Phone number").fill(phone);
    await withSmsStep(
      page,
      () => page.getByRole("button", { name: "Send a code to this number" }).click(),
      "Save the phone",
      "SMS codes: on",
    );
    await auditAndScreenshot(page, "settings-phone");
  });

  it("deletes a post with the SMS step", async () => {
    const { page } = desktop;
    await page.goto("/write");
    await publishPost(page, { title: `Short-lived ${run}`, preview: "Gone soon.", text: "One paragraph." });
    await page.getByRole("button", { name: "Delete" }).click();
    await withSmsStep(
      page,
      () => page.getByRole("button", { name: "Yes, delete it" }).click(),
      "Delete the post",
      `${member.username} has not written any posts yet.`,
    );
    await page.goto("/settings");
  });

  it("changes the password, with the SMS step", async () => {
    const { page } = desktop;
    await page.getByRole("region", { name: "Password" }).getByLabel("Current password").fill(member.password);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Repeat the new password").fill(newPassword);
    await withSmsStep(
      page,
      () => page.getByRole("button", { name: "Change the password" }).click(),
      "Change the password",
      "Your password is changed.",
    );
  });

  it("changes the email address, with the SMS step and the link sent to the new address", async () => {
    const { page } = desktop;
    await page.getByLabel("New email address").fill(newEmail);
    await page.getByRole("region", { name: "Email address" }).getByLabel("Current password").fill(newPassword);
    await withSmsStep(
      page,
      () => page.getByRole("button", { name: "Change the address" }).click(),
      "Change the address",
      "We sent a confirmation link",
    );
    const hash = /[0-9a-f]{40}/.exec((await mailTo(newEmail, /email change/i)).text)?.[0];
    await page.goto(`/email-change-confirmation/${hash}`);
    await page.getByText("Your new email address is confirmed").waitFor();
    await auditAndScreenshot(page, "email-change-confirmation");
  });

  it("resets a forgotten password from the emailed link, then signs in with the SMS step", async () => {
    const { page } = desktop;
    await header(page).getByRole("button", { name: "Sign out" }).click();
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email address").fill(newEmail);
    await page.getByRole("button", { name: "Send the code" }).click();
    await page.getByText(`If an account uses ${newEmail}`).waitFor();
    const mail = await mailTo(newEmail, /password reset/i);
    const code = /code: ([0-9a-f]+)/i.exec(mail.text)?.[1] ?? "";
    expect(code).not.toBe("");
    // The email's link opens the second step with the address and the code filled in.
    const link = /\/forgot-password\?\S+/.exec(mail.text)?.[0] ?? "";
    await page.goto(link);
    expect(await page.getByLabel("Reset code").inputValue()).toBe(code);
    await page.getByLabel("New password").fill(resetPassword);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();
    await auditAndScreenshot(page, "password-changed");

    const seen = await smsCount(phone);
    await signIn(page, newEmail, resetPassword);
    await page.getByLabel("SMS code").fill(await nextSmsCode(phone, seen));
    await page.getByRole("button", { name: "Sign in" }).click();
    await header(page)
      .getByRole("link", { name: `Your profile (${member.username})` })
      .waitFor();
  });

  it("closes the account, with the SMS step", async () => {
    const { page } = desktop;
    await page.goto("/settings");
    await page.getByLabel("Your password").fill(resetPassword);
    await page.getByRole("button", { name: "Close my account" }).click();
    await page.getByText("Tick the box to confirm.").waitFor();
    await page.getByLabel(/I understand/).check();
    await withSmsStep(
      page,
      () => page.getByRole("button", { name: "Close my account" }).click(),
      "Close the account",
      "Your account is closed",
    );
    await header(page).getByRole("link", { name: "Sign in" }).waitFor();
    await page.goto(`/user/${member.username}`);
    await page.getByText("There is no user with that name.").waitFor();
    // Trying again cannot help, so it is not offered; an address no username can have reads the same.
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.goto("/user/x");
    await page.getByText("There is no user with that name.").waitFor();
    expect(watch.problems).toEqual([]);
  });
});
