import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { StepUpKind } from "../api";
import type { StepUpFlow } from "../lib/useStepUp";
import { safeNext } from "../pages/SignInPage";
import type { CoinDetails } from "../api/types";
import { ActionForm } from "./ActionForm";
import { CoinChip } from "./CoinChip";
import { PasswordRules } from "./PasswordRules";
import { PostCard } from "./PostCard";
import { PriceChart } from "./PriceChart";
import { Sparkline } from "./Sparkline";
import { StepUpForm } from "./StepUpForm";
import { VoteControls } from "./VoteControls";
import { POST_SUMMARY } from "../test/fakes";

describe("components", () => {
  it("draws a sparkline as inline SVG coloured by its trend", () => {
    const html = renderToStaticMarkup(<Sparkline sparkline={["1", "2", "3"]} label="BTC over 24 hours" />);
    expect(html).toContain('<svg class="sparkline trend-up"');
    expect(html).toContain('aria-label="BTC over 24 hours"');
    expect(html).toContain('d="M2 34 L60 18 L118 2"');
    expect(renderToStaticMarkup(<Sparkline sparkline={[]} label="x" />)).toContain("No data");
  });

  it("labels the price chart with the range it shows", () => {
    const html = renderToStaticMarkup(<PriceChart sparkline={["100", "90", "95"]} name="Bitcoin" />);
    expect(html).toContain("Bitcoin price over the last 24 hours, from $100.00 to $95.00");
    expect(html).toContain("High $100.00 · Low $90.00");
  });

  it("shows the reader's own vote pressed, and no voting when signed out", () => {
    const rates = [
      { rate: "+", rated: false, userId: "u1", username: "bob" },
      { rate: "-", rated: true, userId: "u2", username: "me" },
    ];
    const html = renderToStaticMarkup(
      <VoteControls rating={0} rates={rates} subject="this post" onVote={() => undefined} />,
    );
    expect(html).toMatch(/aria-pressed="false" aria-label="Vote up this post"/);
    expect(html).toMatch(/aria-pressed="true" aria-label="Vote down this post"/);
    const signedOut = renderToStaticMarkup(<VoteControls rating={3} rates={[]} subject="this post" />);
    expect(signedOut.match(/disabled=""/g)).toHaveLength(2);
    expect(signedOut).toContain('title="Sign in to vote"');
  });

  it("titles a post card one heading level below its list", () => {
    const post = POST_SUMMARY;
    const card = (level: 2 | 3) =>
      renderToStaticMarkup(
        <MemoryRouter>
          <PostCard post={post} level={level} />
        </MemoryRouter>,
      );
    expect(card(2)).toContain('<h2 class="post-card-title">');
    expect(card(3)).toContain('<h3 class="post-card-title">');
  });

  it("links a mentioned coin's chip to its page, with the price and 24h change once they came", () => {
    const coin = { uuid: "Qwsogvtv82FCd", symbol: "BTC", name: "Bitcoin" };
    const chip = (quote?: CoinDetails) =>
      renderToStaticMarkup(
        <MemoryRouter>
          <CoinChip coin={coin} quote={quote} />
        </MemoryRouter>,
      );
    const waiting = chip();
    expect(waiting).toContain('href="/coins/Qwsogvtv82FCd"');
    expect(waiting).toContain('<span class="coin-chip-symbol">BTC</span>');
    expect(waiting).not.toContain("$");
    const quoted = chip({ price: 43250.5, change: -1.234 } as CoinDetails);
    expect(quoted).toContain("$43,250.50");
    expect(quoted).toContain('<span class="change down">-1.23%<span class="visually-hidden"> in 24h</span></span>');
  });

  it("lists each password rule with its state", () => {
    const html = renderToStaticMarkup(<PasswordRules password="Hodl" />);
    expect(html.match(/rule-met/g)).toHaveLength(2);
    expect(html.match(/rule-unmet/g)).toHaveLength(3);
  });

  it("returns only to pages of this site after signing in", () => {
    expect(safeNext("/settings")).toBe("/settings");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });

  it("ends a form with its error above the button, which says what happens while it is busy", () => {
    const idle = renderToStaticMarkup(
      <ActionForm
        onSend={() => undefined}
        busy={false}
        error="That code is not right."
        label="Save"
        busyLabel="Saving…"
      >
        <input name="x" />
      </ActionForm>,
    );
    expect(idle).toMatch(/<input name="x"\/>.*That code is not right\..*<button type="submit"[^>]*>Save<\/button>/);
    const busy = renderToStaticMarkup(
      <ActionForm onSend={() => undefined} busy error={null} label="Save" busyLabel="Saving…" />,
    );
    expect(busy).toContain('disabled="">Saving…</button>');
    expect(busy).not.toContain('role="alert"');
  });

  it("shows a step-up form until the API asks for a code, then the prompt for that code", () => {
    const flow = (asked: StepUpKind | null): StepUpFlow => ({
      asked,
      busy: false,
      error: null,
      start: async () => true,
      submitCode: async () => true,
      cancel: () => undefined,
    });
    const render = (asked: StepUpKind | null) =>
      renderToStaticMarkup(
        <StepUpForm flow={flow(asked)} label="Close my account" codeLabel="Close the account" busyLabel="Closing…">
          <p>the form&apos;s fields</p>
        </StepUpForm>,
      );
    expect(render(null)).toContain("the form&#x27;s fields");
    expect(render(null)).toContain(">Close my account</button>");
    const sms = render("sms");
    expect(sms).not.toContain("the form");
    expect(sms).toContain("SMS code");
    expect(sms).toContain(">Send a new code</button>");
    expect(sms).toContain(">Close the account</button>");
    const totp = render("totp");
    expect(totp).toContain("Authenticator code");
    expect(totp).not.toContain("Send a new code");
  });
});
