"""How the web client's files are served, the same by `cryptotalks dev` (cryptotalks_dev.server) and by CloudFront
(infra_cdk.web): which files are cached for good, which paths are the client's pages, and the security headers.
Kept free of heavy imports: the local server reads it at start, the CDK app at synth."""

from __future__ import annotations

from collections.abc import Sequence

# Vite names the files it writes under dist/assets/ by their content hash, so they never change.
HASHED_ASSETS = "/assets/"
CACHED_FOR_GOOD = "public, max-age=31536000, immutable"
# index.html and the unhashed files (web/public): the browser asks each time whether a new build is out.
REVALIDATED = "no-cache"
INDEX = "/index.html"
# Paths the client never answers, even for a browser asking for a page: they stay the API's (and, locally, the
# docs' and dev boxes') own answers.
NOT_CLIENT_PREFIXES = ("/api", "/docs", "/dev")

NOSNIFF = "nosniff"
FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600  # sent over HTTPS only, so by CloudFront and not on a laptop


def content_security_policy(image_origins: Sequence[str] = ()) -> str:
    """Scripts, styles and API calls come from the site itself. Images may come from any HTTPS host too: coin
    icons are on Coinranking's CDN and avatars are presigned S3 URLs; data and blob URLs are the QR code and the
    avatar preview. `image_origins`: more image hosts (locally, the S3 stand-in over plain HTTP)."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", "https:", *image_origins],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers(image_origins: Sequence[str] = ()) -> list[tuple[str, str]]:
    """What every answer of the client carries (CloudFront adds Strict-Transport-Security on top)."""
    return [
        ("Content-Security-Policy", content_security_policy(image_origins)),
        ("X-Content-Type-Options", NOSNIFF),
        ("X-Frame-Options", FRAME_OPTIONS),
        ("Referrer-Policy", REFERRER_POLICY),
    ]


def is_client_path(path: str) -> bool:
    return not any(path == prefix or path.startswith(f"{prefix}/") for prefix in NOT_CLIENT_PREFIXES)


def cache_control(path: str) -> str:
    return CACHED_FOR_GOOD if path.startswith(HASHED_ASSETS) else REVALIDATED
