// What the browser journey needs around the browser: the running site, its dev mailbox, screenshots, TOTP codes.

import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

export const BASE_URL = (process.env.CRYPTOTALKS_URL ?? "").replace(/\/$/, "");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR ?? "e2e/screenshots");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// The flags the CI container needs; there is no GPU, no sandbox and no network to update anything over.
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  if (!BASE_URL)
    throw new Error("Set CRYPTOTALKS_URL to the running site, e.g. CRYPTOTALKS_URL=http://127.0.0.1:3000 npm run e2e");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** Problems the page itself had: uncaught exceptions, server errors of the API, what the CSP refused. */
export interface PageProblems {
  problems: string[];
}

export async function openContext(
  browser: Browser,
  viewport: { width: number; height: number },
  watch: PageProblems,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: BASE_URL, deviceScaleFactor: 1 });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => watch.problems.push(`uncaught in the page: ${error.message}`));
  // The site's Content-Security-Policy allows no inline script or style: Chromium reports what it blocks here.
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      watch.problems.push(`refused by the CSP: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    if (response.url().startsWith(`${BASE_URL}/api/`) && response.status() >= 500) {
      watch.problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
    }
  });
  return { context, page };
}

// axe-core, evaluated in the page through the DevTools protocol: a <script> tag would be refused by the site's CSP.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// WCAG 2 A and AA; axe files heading-order under best practices, but a skipped heading level misleads people
// who move through a page by its headings (screen readers), so it is checked too.
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
  rules: { "heading-order": { enabled: true } },
};

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

/** What axe-core's rules (AXE_OPTIONS) find on the page as it is now: one line per violating element. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Colours are measured as drawn: let fades (a list coming back from dimmed) end first; spinners never end.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (options) => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: unknown }> } }).axe;
    return (await axe.run(document, options)).violations;
  }, AXE_OPTIONS);
  return (violations as AxeViolation[]).flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.help}): ${JSON.stringify(node.target)}`),
  );
}

/**
 * The page passes axe-core's WCAG 2 A and AA rules (and heading-order), then is saved as a screenshot. A soft check: the journey
 * goes on, and every page's violations are reported at the end.
 */
export async function auditAndScreenshot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const violations = await accessibilityViolations(page);
  expect.soft(violations.join("\n"), `accessibility of ${name} at ${width} px`).toBe("");
  await screenshot(page, name);
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.evaluate(() => window.scrollTo(0, 0)); // else the sticky header is drawn where the page was scrolled to
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${width}.png`, fullPage: true });
}

/** The page fits the screen: nothing sticks out sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Where the keyboard focus is: the element's name as people hear it, and whether a focus ring is drawn. */
export interface FocusStop {
  name: string;
  ringed: boolean;
}

/**
 * Presses Tab from the top of the page `presses` times (or until the focus leaves the page) and says where the
 * focus went each time.
 */
export async function tabThrough(page: Page, presses: number): Promise<FocusStop[]> {
  // Focusing the body moves the point Tab starts from to the top (a blur alone leaves it where the focus was).
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute("tabindex");
  });
  const stops: FocusStop[] = [];
  for (let press = 0; press < presses; press++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const label = (element as HTMLInputElement).labels?.[0]?.textContent;
      const name = element.getAttribute("aria-label") ?? label ?? element.textContent ?? "";
      const style = getComputedStyle(element);
      const ringed =
        element.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      return { name: name.replace(/\s+/g, " ").trim(), ringed };
    });
    if (!stop) break;
    stops.push(stop);
  }
  return stops;
}

interface Mail {
  to: string;
  subject: string;
  text: string;
}

interface Sms {
  to: string;
  body: string;
}

/** What `pick` finds in a dev box (/dev/mailbox, /dev/sms), once the consumer has sent it. */
async function waitInBox<T>(box: string, pick: (items: T[]) => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = pick((await (await fetch(`${BASE_URL}${box}`)).json()) as T[]);
    if (found) return found;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`nothing arrived at ${box} within ${timeoutMs} ms`);
}

/** The newest email to `to` with a subject like `subject`. */
export function mailTo(to: string, subject: RegExp): Promise<Mail> {
  return waitInBox<Mail>("/dev/mailbox", (mails) =>
    mails.filter((mail) => mail.to === to && subject.test(mail.subject)).at(-1),
  );
}

/** How many text messages a phone has had. */
export async function smsCount(phone: string): Promise<number> {
  const messages = (await (await fetch(`${BASE_URL}/dev/sms`)).json()) as Sms[];
  return messages.filter((sms) => sms.to === phone).length;
}

/** The code in the next text message to `phone` after the `seen` it already had. */
export async function nextSmsCode(phone: string, seen: number): Promise<string> {
  const sms = await waitInBox<Sms>("/dev/sms", (messages) => messages.filter((message) => message.to === phone)[seen]);
  const code = /\b(\d{6})\b/.exec(sms.body)?.[1];
  if (!code) throw new Error(`no code in the text message "${sms.body}"`);
  return code;
}

/** An account made and confirmed through the API, for journeys that do not test signing up. */
export async function confirmedAccount(account: { email: string; username: string; password: string }): Promise<void> {
  const answer = await fetch(`${BASE_URL}/api/user/sign-up`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...account, tac: true }),
  });
  if (answer.status !== 201) throw new Error(`sign-up answered ${answer.status}: ${await answer.text()}`);
  const mail = await mailTo(account.email, /confirmation/i);
  const hash = /[0-9a-f]{40}/.exec(mail.text)?.[0];
  const confirmed = await fetch(`${BASE_URL}/api/user/account-confirmation/${hash}`);
  if (!confirmed.ok) throw new Error(`confirmation answered ${confirmed.status}`);
}

/** The site's main navigation (in the header). */
export function header(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

/** Fills in the open post editor and publishes; resolves once the post's page shows it. */
export async function publishPost(
  page: Page,
  post: { title: string; preview: string; text: string; tags?: string },
): Promise<void> {
  await page.getByLabel("Title", { exact: true }).fill(post.title);
  await page.getByLabel("Preview", { exact: true }).fill(post.preview);
  await page.getByLabel("Text", { exact: true }).fill(post.text);
  await page.getByLabel("Tags", { exact: true }).fill(post.tags ?? "");
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("heading", { name: post.title }).waitFor();
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

function base32Bytes(secret: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const character of secret.replace(/[\s=]/g, "").toUpperCase()) {
    buffer = (buffer << 5) | alphabet.indexOf(character);
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code of a 30-second step, as an authenticator app shows it. */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac("sha1", base32Bytes(secret)).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * A step whose code the API has not seen yet (each code is accepted once), with a few seconds left in it.
 */
export async function freshTotpStep(after: number): Promise<number> {
  for (;;) {
    const seconds = Date.now() / 1000;
    const step = Math.floor(seconds / 30);
    if (step > after && seconds - step * 30 < 25) return step;
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** A member made and confirmed through the API, signed in at desktop width in a browser of its own: for journeys
 * that do not test signing up. The caller closes the browser. */
export async function signedInMember(
  member: { email: string; username: string; password: string },
  watch: PageProblems,
): Promise<{ browser: Browser; desktop: { context: BrowserContext; page: Page } }> {
  await confirmedAccount(member);
  const browser = await launchBrowser();
  const desktop = await openContext(browser, DESKTOP, watch);
  await signIn(desktop.page, member.email, member.password);
  await header(desktop.page)
    .getByRole("link", { name: `Your profile (${member.username})` })
    .waitFor();
  return { browser, desktop };
}
