// Links that come from people or third parties: only web addresses become links.

export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/** A profile field as a link: full addresses as they are, domains with https://, handles on the given site. */
export function externalUrl(value: string, site: string): string {
  const trimmed = value.trim();
  if (isWebUrl(trimmed)) return trimmed;
  if (trimmed.includes(".") && !trimmed.startsWith("@")) return `https://${trimmed.replace(/^\/+/, "")}`;
  return `${site}${encodeURIComponent(trimmed.replace(/^@/, ""))}`;
}
