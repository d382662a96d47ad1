"""Profile pictures in S3: a private bucket, served through presigned URLs."""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import uuid
from functools import cache
from typing import Any

from cryptotalks import errors
from cryptotalks.config import aws_client
from cryptotalks.errors import ApiError

MAX_BYTES = 2 * 1024 * 1024
# A small file can claim huge dimensions (a decompression bomb): refused before its pixels are decoded. A
# 24-megapixel photo passes; decoded, the largest picture takes 100 MB.
MAX_PIXELS = 25_000_000
MAX_SIDE = 1024  # stored pictures are scaled down to fit
URL_SECONDS = 3600
_DATA_URL = re.compile(r"^data:[\w/+.-]*;base64,", re.IGNORECASE)
# Pillow's format → the media type it is stored with, re-encoded in the same format.
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def bucket() -> str:
    return os.environ.get("AVATARS_BUCKET", "cryptotalks-avatars")


def key(user_id: uuid.UUID) -> str:
    # The original's key; whatever the format, the object carries the right Content-Type.
    return f"users-profile-pictures/{user_id}.png"


@cache
def _s3() -> Any:
    return aws_client("s3")  # only the functions that touch pictures pay for boto3


def decode_image(photo: str) -> tuple[bytes, str]:
    """The picture re-encoded, and its media type. Only what Pillow decodes as a PNG, JPEG or WebP image within
    the limits is taken, whatever the data URL claims; re-encoding drops everything but the pixels (EXIF with
    its GPS position, comments, trailing bytes)."""
    try:
        raw = base64.b64decode(_DATA_URL.sub("", photo.strip(), count=1), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(errors.NOT_AN_IMAGE) from None
    if len(raw) > MAX_BYTES:
        raise ApiError(errors.NOT_AN_IMAGE)
    return _reencoded(raw)


def _reencoded(raw: bytes) -> tuple[bytes, str]:
    from PIL import Image, ImageOps  # only the upload pays for it

    try:
        with Image.open(io.BytesIO(raw), formats=list(_FORMATS)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ApiError(errors.NOT_AN_IMAGE)
            kind = str(image.format)
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG is decoded at the scale it is stored at
            image.thumbnail((MAX_SIDE, MAX_SIDE))  # scaled down before any copy is made
            upright = ImageOps.exif_transpose(image)  # as the camera meant it, before EXIF goes
            has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            pixels = upright.convert("RGBA" if has_alpha and kind != "JPEG" else "RGB")
            pixels.info = {}  # Pillow would write some of it back (a JPEG's comment, XMP, ICC profiles)
            out = io.BytesIO()
            pixels.save(out, format=kind, **({"quality": 90} if kind != "PNG" else {"optimize": True}))
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise ApiError(errors.NOT_AN_IMAGE) from None
    return out.getvalue(), _FORMATS[kind]


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
