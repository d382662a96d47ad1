"""Profile pictures in S3: a private bucket, served through presigned URLs."""

from __future__ import annotations

import base64
import binascii
import os
import re
import uuid
from functools import cache
from typing import Any

from cryptotalks import errors
from cryptotalks.config import aws_client
from cryptotalks.errors import ApiError

MAX_BYTES = 2 * 1024 * 1024
URL_SECONDS = 3600
_DATA_URL = re.compile(r"^data:[\w/+.-]*;base64,", re.IGNORECASE)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def bucket() -> str:
    return os.environ.get("AVATARS_BUCKET", "cryptotalks-avatars")


def key(user_id: uuid.UUID) -> str:
    # The original's key; whatever the format, the object carries the right Content-Type.
    return f"users-profile-pictures/{user_id}.png"


@cache
def _s3() -> Any:
    return aws_client("s3")  # only the functions that touch pictures pay for boto3


def decode_image(photo: str) -> tuple[bytes, str]:
    """The picture's bytes and media type, judged by the bytes (not by what the data URL claims)."""
    try:
        raw = base64.b64decode(_DATA_URL.sub("", photo.strip(), count=1), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(errors.NOT_AN_IMAGE) from None
    media_type = next((kind for signature, kind in _SIGNATURES if raw.startswith(signature)), None)
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        media_type = "image/webp"
    if media_type is None or len(raw) > MAX_BYTES:
        raise ApiError(errors.NOT_AN_IMAGE)
    return raw, media_type


def store(user_id: uuid.UUID, raw: bytes, media_type: str) -> None:
    _s3().put_object(Bucket=bucket(), Key=key(user_id), Body=raw, ContentType=media_type)


def remove(user_id: uuid.UUID) -> None:
    _s3().delete_object(Bucket=bucket(), Key=key(user_id))


def url(user_id: uuid.UUID) -> str:
    """Signed locally (no call to S3)."""
    return str(
        _s3().generate_presigned_url(
            "get_object", Params={"Bucket": bucket(), "Key": key(user_id)}, ExpiresIn=URL_SECONDS
        )
    )
