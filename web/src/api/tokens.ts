// Reading an access token's expiry and role. The signature is the API's business; the client only needs `exp`
// to refresh before the token runs out, and `role` to know which links to show (the API decides what is allowed).

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function claimsOf(token: string): object | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(payload));
    return typeof claims === "object" && claims !== null ? claims : null;
  } catch {
    return null; // not a JWT: its claims are unknown
  }
}

/** When the token expires, in milliseconds since the epoch; null when it cannot be read. */
export function tokenExpiry(token: string): number | null {
  const claims = claimsOf(token);
  return claims && "exp" in claims && typeof claims.exp === "number" ? claims.exp * 1000 : null;
}

/** The role the token claims (`member`, `moderator`, `admin`): a hint for what to show, never a permission. */
export function tokenRole(token: string): string {
  const claims = claimsOf(token);
  return claims && "role" in claims && typeof claims.role === "string" ? claims.role : "member";
}
