import type { AlertCondition, NoticeKind, PriceAlert } from "../api/types";
import { formatPrice } from "./format";

export const CONDITIONS: { value: AlertCondition; label: string }[] = [
  { value: "above", label: "Price rises above (USD)" },
  { value: "below", label: "Price falls below (USD)" },
  { value: "change", label: "24h change beyond ± (%)" },
];

/** An alert in words: "above $100,000.00", "below $0.50", "24h change beyond ±5%". */
export function describeAlert(alert: Pick<PriceAlert, "condition" | "threshold">): string {
  if (alert.condition === "change") return `24h change beyond ±${alert.threshold}%`;
  return `${alert.condition} ${formatPrice(alert.threshold)}`;
}

/**
 * Said once an alert is set. An alert whose condition already holds at the latest price is not armed (contracts 6):
 * it fires only after a price update finds the condition false and a later one true again.
 */
export function alertSetWords(
  alert: Pick<PriceAlert, "condition" | "threshold">,
  armed: boolean,
  name: string,
): string {
  if (armed) return "Alert set: you will be told after the hourly price update that crosses it.";
  const holds =
    alert.condition === "change"
      ? `${name}'s 24h change is already beyond ±${alert.threshold}%`
      : `${name}'s price is already ${describeAlert(alert)}`;
  return `Alert set, but ${holds}: you will be told after it goes back and then crosses again.`;
}

/** What is wrong with a threshold as typed, or null. */
export function thresholdProblem(condition: AlertCondition, typed: string): string | null {
  const value = Number(typed);
  if (typed.trim() === "" || !Number.isFinite(value) || value <= 0) return "Give a number above 0.";
  if (condition === "change" && value > 1000) return "A change is at most 1000%.";
  return null;
}

/** The bell's words for screen readers. */
export function unreadLabel(unread: number): string {
  if (unread === 0) return "Notifications, none unread";
  return `Notifications, ${unread} unread`;
}

/** How settings and emails name each kind of notification (the API's labels: signed out, the unsubscribe page knows
 * only the kind). */
export const NOTICE_LABELS: Record<NoticeKind, string> = {
  comment: "Comments on my posts",
  mention: "Mentions of me",
  milestone: "Vote milestones of my posts and comments",
  alert: "My price alerts",
  security: "Security of my account",
  moderation: "Moderation of my posts and comments",
};
