// How numbers and dates read on the page. Amounts arrive as numbers or decimal strings.

const LOCALE = "en-US";

function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Prices: more digits for small amounts, so $0.000012 does not read as $0.00. */
export function formatPrice(value: number | string | null | undefined): string {
  const number = toNumber(value);
  if (number === null) return "—";
  const digits = Math.abs(number) >= 1 ? 2 : Math.abs(number) >= 0.01 ? 4 : 8;
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  }).format(number);
}

/** Large amounts: $1.05T, $27.9B. */
export function formatCompactUsd(value: number | string | null | undefined): string {
  const number = toNumber(value);
  if (number === null) return "—";
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency: "USD",
    notation: "compact",
    maximumFractionDigits: 2,
  }).format(number);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : new Intl.NumberFormat(LOCALE).format(value);
}

export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const sign = value > 0 ? "+" : "";
  return `${sign}${value.toFixed(2)}%`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric" }).format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** "Ada Lovelace", or the username when no name is given. */
export function displayName(person: { firstName: string | null; lastName: string | null; username: string }): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(" ");
  return name || person.username;
}
