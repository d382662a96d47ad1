// The API answers errors as {"statusCode", "message": "<kebab-case code>", "error"}; people read these words instead.

const WORDS: Record<string, string> = {
  "account-not-confirmed": "Your account is not confirmed yet. Open the link in the email we sent you.",
  "wrong-credentials": "The email address or password is not right.",
  "wrong-2fa": "That code is not right. Enter the code your authenticator app shows now.",
  "phone-code-error": "That code is wrong or has expired. Ask for a new one.",
  "too-many-attempts": "Too many failed attempts. Wait a few minutes, then try again.",
  "user-already-exists": "An account with this email address or username already exists.",
  "tac-not-accepted": "Please accept the terms and conditions.",
  "validation-error": "Some details are not valid. Check the form and try again.",
  "username-taken": "That username is already taken.",
  "hash-not-found": "This link is not valid. Check that you opened the whole link from the email.",
  "email-already-confirmed": "This account is already confirmed. You can sign in.",
  "email-change-confirmed": "This email change has already been confirmed.",
  "email-already-changed": "The email address of this account has already been changed once.",
  "bad-request": "That cannot be done with your account as it is now.",
  "wrong-hash": "This reset code is wrong or has expired. Ask for a new one.",
  "same-password": "The new password must be different from the current one.",
  "password-changed-recently": "The password can be changed once a day. Try again tomorrow.",
  "post-not-found": "This post does not exist, or it has been deleted.",
  "comment-doesnt-exist": "That comment no longer exists.",
  "user-not-found": "There is no user with that name.",
  "not-found": "Nothing was found here.",
  "tag-length": "Each tag must be 1 to 20 characters long.",
  "wrong-user": "Only the author can do that.",
  "wrong-rate": "That vote is not valid.",
  "no-crypto": "This coin does not exist.",
  "not-an-image": "Choose a PNG, JPEG or WebP image of at most 2 MB.",
  "payload-too-large": "That is too large to send.",
  "invalid-token": "Your session has ended. Please sign in again.",
  "corrupted-token": "Your session has ended. Please sign in again.",
  "token-expired": "Your session has ended. Please sign in again.",
  "session-has-expired": "Your session has ended. Please sign in again.",
  "internal-error": "Something went wrong on our side. Try again in a moment.",
  "network-error": "Cannot reach Cryptotalks. Check your connection and try again.",
  "too-many-requests": "That is a lot at once. Wait a while, then try again.",
  "already-reported": "You have already reported this. The moderators will look at it.",
  "own-item": "You cannot report what you wrote yourself.",
  "item-not-public": "Hidden posts and comments, and those waiting for a moderator, take no comments or votes.",
  "security-email-required": "Security emails cannot be turned off: they tell you when someone else uses your account.",
  "moderators-only": "Only moderators can do that.",
  "admins-only": "Only admins can do that.",
};

/** Words for an API message code; `overrides` lets a form say what a code means in its own context. */
export function describeError(code: string, status: number, overrides: Record<string, string> = {}): string {
  const words = overrides[code] ?? WORDS[code];
  if (words) return words;
  if (status >= 500) return WORDS["internal-error"]!;
  return `Something went wrong (${status}). Try again.`;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string) {
    super(describeError(code, status));
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  /** These words, or the form's own words for this code. */
  describe(overrides: Record<string, string> = {}): string {
    return describeError(this.code, this.status, overrides);
  }
}

export function networkError(): ApiError {
  return new ApiError(0, "network-error");
}

/**
 * Words for a page whose address names what it shows (a post, a profile, a coin): an address the API refuses as
 * malformed names nothing, so it reads as that page's "not found".
 */
export function notFoundWords(notFoundCode: string): Record<string, string> {
  return { "validation-error": WORDS[notFoundCode] ?? WORDS["not-found"]! };
}

/** Whether trying the same call again may help: the network or the server failed, not the request. */
export function canRetry(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

/** Words for anything a call may throw. */
export function errorText(error: unknown, overrides: Record<string, string> = {}): string {
  if (error instanceof ApiError) return error.describe(overrides);
  return WORDS["internal-error"]!;
}
