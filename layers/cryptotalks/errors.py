"""The contract's error codes: `{"statusCode", "message", "error"}` as in the original API."""

from __future__ import annotations

from typing import NamedTuple


class ErrorCode(NamedTuple):
    status: int
    message: str
    error: str

    def body(self) -> dict[str, object]:
        return {"statusCode": self.status, "message": self.message, "error": self.error}


class ApiError(Exception):
    """Raised by logic; the endpoint wrapper answers it in the contract's shape."""

    def __init__(self, code: ErrorCode) -> None:
        super().__init__(code.message)
        self.code = code


ACCOUNT_NOT_CONFIRMED = ErrorCode(403, "account-not-confirmed", "Account not confirmed")
CORRUPTED_TOKEN = ErrorCode(401, "corrupted-token", "Corrupted token")
EMAIL_ALREADY_CONFIRMED = ErrorCode(403, "email-already-confirmed", "Email address already confirmed")
SESSION_HAS_EXPIRED = ErrorCode(401, "session-has-expired", "Session has expired")
HASH_NOT_FOUND = ErrorCode(404, "hash-not-found", "Hash not found")
NO_CRYPTO = ErrorCode(400, "no-crypto", "Cryptocurrency not found")
INVALID_TOKEN = ErrorCode(401, "invalid-token", "Invalid token")
TOKEN_EXPIRED = ErrorCode(401, "token-expired", "Token expired")
TAC_NOT_ACCEPTED = ErrorCode(403, "tac-not-accepted", "T&C is not accepted")
USER_ALREADY_EXISTS = ErrorCode(403, "user-already-exists", "User already exists")
USER_NOT_FOUND = ErrorCode(404, "user-not-found", "User not found")
VALIDATION_ERROR = ErrorCode(400, "validation-error", "Validation error")
WRONG_CREDENTIALS = ErrorCode(403, "wrong-credentials", "Wrong credentials")
WRONG_2FA = ErrorCode(400, "wrong-2fa", "Wrong 2FA code")
PHONE_CODE_ERROR = ErrorCode(400, "phone-code-error", "Wrong or expired code")
EMAIL_CHANGE_CONFIRMED = ErrorCode(400, "email-change-confirmed", "Email address change already confirmed")
EMAIL_ALREADY_CHANGED = ErrorCode(400, "email-already-changed", "Email has been already changed")
USERNAME_TAKEN = ErrorCode(403, "username-taken", "Username is taken")
BAD_REQUEST = ErrorCode(400, "bad-request", "Bad request")
WRONG_HASH = ErrorCode(400, "wrong-hash", "Wrong hash")
SAME_PASSWORD = ErrorCode(400, "same-password", "Same password as previous one")
POST_NOT_FOUND = ErrorCode(404, "post-not-found", "Post not found")
TAG_LENGTH = ErrorCode(400, "tag-length", "Tag length error")
WRONG_RATE = ErrorCode(400, "wrong-rate", "Wrong rate value")
COMMENT_DOESNT_EXIST = ErrorCode(400, "comment-doesnt-exist", "Comment does not exist")
# 403 rather than the original's 400: the caller is known but may not touch someone else's post.
WRONG_USER = ErrorCode(403, "wrong-user", "Wrong user")
# Additions of ours: what API Gateway itself answers, in the same shape.
NOT_FOUND = ErrorCode(404, "not-found", "Not found")
PAYLOAD_TOO_LARGE = ErrorCode(413, "payload-too-large", "Payload too large")
INTERNAL_ERROR = ErrorCode(500, "internal-error", "Internal server error")
TOO_MANY_ATTEMPTS = ErrorCode(429, "too-many-attempts", "Too many failed attempts, try again later")
TOO_MANY_REQUESTS = ErrorCode(429, "too-many-requests", "Too many requests, try again later")
REAUTHENTICATION_REQUIRED = ErrorCode(
    403, "reauthentication-required", "Give the current password (or sign in again) to do this"
)
PASSWORD_CHANGED_RECENTLY = ErrorCode(400, "password-changed-recently", "The password can be changed once a day")
TOO_MANY_ALERTS = ErrorCode(400, "too-many-alerts", "At most 50 price alerts per user")
ALERT_NOT_FOUND = ErrorCode(404, "alert-not-found", "Price alert not found")
WRONG_THRESHOLD = ErrorCode(400, "wrong-threshold", "A change alert's threshold is a percentage of at most 1000")
SMS_NOT_POSSIBLE = ErrorCode(400, "sms-not-possible", "SMS is offered for price alerts, with a verified phone")
SECURITY_EMAIL_REQUIRED = ErrorCode(400, "security-email-required", "Security emails cannot be turned off")
NOT_AN_IMAGE = ErrorCode(400, "not-an-image", "A PNG, JPEG or WebP image of at most 2 MB is expected")
# Roles: the database decides (a token's role claim is a hint for clients only).
MODERATORS_ONLY = ErrorCode(403, "moderators-only", "Only moderators can do this")
ADMINS_ONLY = ErrorCode(403, "admins-only", "Only admins can do this")
ROLE_NOT_HELD = ErrorCode(400, "role-not-held", "The account does not have this role")
# Moderation.
ALREADY_REPORTED = ErrorCode(409, "already-reported", "You have already reported this and it is not decided yet")
OWN_ITEM = ErrorCode(400, "own-item", "You cannot report your own post or comment")
# Votes and comments need a public item; this answers those who can see one that is not (its author, moderators).
ITEM_NOT_PUBLIC = ErrorCode(409, "item-not-public", "The post or comment is hidden or held: no votes or comments")

# What the authorizer answers on protected routes.
TOKEN_ERRORS = (INVALID_TOKEN, CORRUPTED_TOKEN, TOKEN_EXPIRED, SESSION_HAS_EXPIRED)
