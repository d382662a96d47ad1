import type { AlertCondition, PriceAlert } from "../api/types";
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
