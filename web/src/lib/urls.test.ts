import { describe, expect, it } from "vitest";
import { externalUrl, isWebUrl } from "./urls";

describe("links from profiles and coin data", () => {
  it("only makes web addresses into links", () => {
    expect(isWebUrl("https://bitcoin.org")).toBe(true);
    expect(isWebUrl("javascript:alert(1)")).toBe(false);
    expect(isWebUrl("data:text/html,hi")).toBe(false);
  });

  it("turns handles and domains into addresses on the right site", () => {
    expect(externalUrl("@satoshi", "https://x.com/")).toBe("https://x.com/satoshi");
    expect(externalUrl("bitcoin.org", "https://")).toBe("https://bitcoin.org");
    expect(externalUrl("https://example.com/me", "https://x.com/")).toBe("https://example.com/me");
    expect(externalUrl("javascript:alert(1)", "https://x.com/")).toBe("https://x.com/javascript%3Aalert(1)");
  });
});
