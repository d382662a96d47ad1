import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, client, errorText } from "../api";
import type { Preferences } from "../api/types";
import { Layout } from "../components/Layout";
import { SessionProvider } from "../session/session";
import { jwt, user } from "../test/fakes";
import { PreferenceRows } from "./settings/Notifications";
import { UNSUBSCRIBE_ERRORS, UnsubscribedNotice } from "./UnsubscribePage";

afterEach(() => client.endSession());

describe("the unsubscribe page", () => {
  it("says which emails stopped", () => {
    const html = renderToStaticMarkup(<UnsubscribedNotice kind="comment" />);
    expect(html).toContain("You will get no more emails about “Comments on my posts”.");
  });

  it("tells an expired or broken link from an ended session", () => {
    expect(errorText(new ApiError(401, "token-expired"), UNSUBSCRIBE_ERRORS)).toMatch(/link has expired/);
    expect(errorText(new ApiError(401, "invalid-token"), UNSUBSCRIBE_ERRORS)).toMatch(/link is not valid/);
    expect(errorText(new ApiError(400, "validation-error"), UNSUBSCRIBE_ERRORS)).toMatch(/link is not valid/);
  });
});

describe("notification preferences", () => {
  it("shows a required email checked, unchangeable, with the reason", () => {
    const preferences: Preferences = {
      phoneVerified: false,
      preferences: [
        {
          kind: "security",
          label: "Security of my account",
          email: true,
          emailRequired: true,
          sms: false,
          smsPossible: false,
        },
        {
          kind: "comment",
          label: "Comments on my posts",
          email: false,
          emailRequired: false,
          sms: false,
          smsPossible: false,
        },
      ],
    };
    const html = renderToStaticMarkup(<PreferenceRows preferences={preferences} onChange={() => undefined} />);
    expect(html).toMatch(/aria-label="Email: Security of my account" aria-describedby="[^"]+" disabled="" checked=""/);
    expect(html).toContain("Always: they tell you when someone else may be using your account.");
    expect(html).toMatch(/aria-label="Email: Comments on my posts"\/>/);
  });
});

describe("the header", () => {
  it("keeps the bell out of the menu that phones fold away", () => {
    client.startSession(jwt({ exp: Date.now() / 1000 + 900 }), user);
    const html = renderToStaticMarkup(
      <SessionProvider>
        <MemoryRouter>
          <Layout />
        </MemoryRouter>
      </SessionProvider>,
    );
    const menu = html.slice(html.indexOf('<div id="site-nav"'), html.indexOf("</nav>"));
    expect(menu).toMatch(/^<div id="site-nav" class="site-nav-links">.*<\/div><a [^>]*class="bell"/);
  });
});
