import { describe, expect, it } from "vitest";
import { alertSetWords, describeAlert, thresholdProblem, unreadLabel } from "./alerts";

describe("price alerts in words", () => {
  it("describes each condition", () => {
    expect(describeAlert({ condition: "change", threshold: 5 })).toBe("24h change beyond ±5%");
    expect(describeAlert({ condition: "above", threshold: 100000 })).toMatch(/^above \$100,000/);
    expect(describeAlert({ condition: "below", threshold: 0.5 })).toMatch(/^below \$0\.5/);
  });

  it("says when an alert set is not armed: its condition already holds", () => {
    expect(alertSetWords({ condition: "above", threshold: 10 }, true, "Bitcoin")).toMatch(
      /^Alert set: you will be told/,
    );
    const unarmed = alertSetWords({ condition: "above", threshold: 10 }, false, "Bitcoin");
    expect(unarmed).toMatch(/^Alert set, but Bitcoin's price is already above \$10\.00: /);
    expect(unarmed).toMatch(/after it goes back and then crosses again\.$/);
    expect(alertSetWords({ condition: "change", threshold: 5 }, false, "Ether")).toContain(
      "Ether's 24h change is already beyond ±5%:",
    );
  });

  it("checks thresholds before sending", () => {
    expect(thresholdProblem("above", "")).toBe("Give a number above 0.");
    expect(thresholdProblem("above", "-1")).toBe("Give a number above 0.");
    expect(thresholdProblem("above", "abc")).toBe("Give a number above 0.");
    expect(thresholdProblem("change", "1500")).toBe("A change is at most 1000%.");
    expect(thresholdProblem("change", "5")).toBeNull();
    expect(thresholdProblem("above", "1500")).toBeNull();
  });

  it("says the unread count", () => {
    expect(unreadLabel(0)).toBe("Notifications, none unread");
    expect(unreadLabel(3)).toBe("Notifications, 3 unread");
  });
});
