"""Input the API refuses cleanly, and what every answer carries (issue 12, part 5), and the original's own web
client, quirks included (part 6): through the API as the gateway serves it, on a real PostgreSQL and moto."""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from typing import Any

import boto3
import pytest
from PIL import Image

from cryptotalks import db
from cryptotalks.observability import MAX_LOG_LINE_BYTES, logger
from cryptotalks.users import avatars
from tests.support import STRONG_PASSWORD, Api, mailbox

NEW_PASSWORD = "N3w!password"
CONTRACT_400 = {"statusCode": 400, "message": "validation-error", "error": "Validation error"}


def _header(answer: Any, name: str) -> str | None:
    return next((v for h, v in answer.headers if h.lower() == name.lower()), None)


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """What the functions' logger writes, at every level."""
    written = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", written)
    level = logger.log_level
    logger.setLevel("DEBUG")
    yield written
    logger.setLevel(level)


# Malformed JSON


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 900 + b"]" * 900,  # 1.8 KB: overflowed Python's stack in the NUL check → 500 and a 209 KB log line
        b'{"email":' * 600 + b"1" + b"}" * 600,
        b"[" * 200_000,  # deeper than the JSON parser's own stack
        b'{"email": "a@b.cc", "password": "x", "code": ' + b"9" * 5000 + b"}",  # beyond int()'s 4300 digits
        b'{"email": "a@b.cc", "password": "x", "code": ' + b"9" * 101 + b"}",
        b'{"email": "a@b.cc", "password": NaN}',
    ],
    ids=["deep-array", "deep-object", "deeper-than-the-parser", "integer-5000-digits", "integer-101-digits", "nan"],
)
def test_malformed_json_is_a_validation_error_and_logs_short_lines(
    api: Api, database: db.Connection, log_lines: io.StringIO, body: bytes
) -> None:
    answer = api.call("POST", "/api/user/sign-in", body)
    assert (answer.status, answer.body) == (400, CONTRACT_400)
    assert _header(answer, "X-Content-Type-Options") == "nosniff"
    lines = log_lines.getvalue().splitlines()
    assert lines and max(len(line.encode()) for line in lines) <= MAX_LOG_LINE_BYTES


def test_json_within_the_limits_is_still_read(api: Api, database: db.Connection) -> None:
    nested = {"email": "a@b.cc", "password": "x", "extra": json.loads("[" * 60 + "]" * 60), "n": 10**99}
    answer = api.call("POST", "/api/user/sign-in", nested)
    assert (answer.status, answer.body["message"]) == (403, "wrong-credentials")


def test_a_runaway_recursion_is_logged_in_a_few_kilobytes(log_lines: io.StringIO) -> None:
    def recurse(depth: int) -> None:
        recurse(depth + 1)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(3000)
    try:
        recurse(0)
    except RecursionError as error:
        logger.error("unhandled error", exc_info=error, extra={"detail": "x" * 100_000})
    finally:
        sys.setrecursionlimit(limit)
    [line] = log_lines.getvalue().splitlines()
    assert len(line.encode()) <= MAX_LOG_LINE_BYTES
    record = json.loads(line)
    assert record["message"] == "unhandled error" and "RecursionError" in record["exception"]
    # The innermost frames stay: where it recursed.
    assert "recurse" in record["exception"][-400:]


# Headers of every answer


def test_every_answer_says_nosniff_and_secrets_are_not_stored(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("ada@example.com", "ada")
    signed_in = api.sign_in("ada@example.com")
    token = signed_in.body["_at"]
    answers = {
        "created": api.sign_up("bea@example.com", "bea"),
        "signed in": signed_in,
        "refused body": api.call("POST", "/api/user/sign-up", {"email": 1}),
        "not json": api.call("POST", "/api/user/sign-up", b"<html>"),
        "NUL in the path": api.call("GET", "/api/user/get/a%00b"),
        "not found by the function": api.call("GET", "/api/user/get/nobody"),
        "no route (the gateway's)": api.call("GET", "/api/nothing-here"),
        "refused token (the authorizer's)": api.call("GET", "/api/user/get-settings", token="garbage"),
        "settings": api.call("GET", "/api/user/get-settings", token=token),
        "refreshed": api.call("GET", "/api/auth/refresh", cookie=f"_rt={signed_in.cookie('_rt')}"),
        "2FA secret": api.call("POST", "/api/user/set-2fa", {}, token=token),
        "public list": api.call("GET", "/api/posts/list/0/10/DESC/createdAt"),
    }
    statuses = {name: answer.status for name, answer in answers.items()}
    assert statuses == {
        "created": 201,
        "signed in": 201,
        "refused body": 400,
        "not json": 400,
        "NUL in the path": 400,
        "not found by the function": 404,
        "no route (the gateway's)": 404,
        "refused token (the authorizer's)": 401,
        "settings": 200,
        "refreshed": 200,
        "2FA secret": 201,
        "public list": 200,
    }
    for name, answer in answers.items():
        assert _header(answer, "X-Content-Type-Options") == "nosniff", name
    no_store = {"signed in", "settings", "refreshed", "2FA secret"}
    for name in no_store:
        assert _header(answers[name], "Cache-Control") == "no-store", name
    wrong_password = api.sign_in("ada@example.com", "Wr0ng!pass")
    assert (wrong_password.status, _header(wrong_password, "Cache-Control")) == (403, "no-store")
    assert _header(answers["public list"], "Cache-Control") is None


# Close-account


def test_closing_the_account_clears_the_refresh_cookie(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("cal@example.com", "cal")
    wrong = api.call("POST", "/api/user/close-account", {"password": "Wr0ng!pass"}, token=token)
    assert wrong.status == 403 and wrong.cookie("_rt") is None
    closed = api.call("POST", "/api/user/close-account", {"password": STRONG_PASSWORD}, token=token)
    assert (closed.status, closed.body) == (201, {"message": "success"})
    cleared = closed.set_cookie_header("_rt")
    assert cleared.startswith("_rt=;") and "Path=/" in cleared and "1970" in cleared


# Profile pictures


def _picture(kind: str, size: tuple[int, int] = (40, 30), **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, format=kind, **options)
    return out.getvalue()


def _upload(api: Api, token: str, raw: bytes, claimed: str = "image/png") -> Any:
    photo = f"data:{claimed};base64,{base64.b64encode(raw).decode()}"
    return api.call("POST", "/api/user/upload-photo", {"photo": photo}, token=token)


def _stored(database: db.Connection, username: str) -> dict[str, Any]:
    row = database.execute("SELECT id FROM users.users WHERE username = %s", (username,)).fetchone()
    assert row
    return dict(boto3.client("s3").get_object(Bucket=avatars.bucket(), Key=avatars.key(row["id"])))


def test_pictures_are_re_encoded_without_their_metadata(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("dot@example.com", "dot")
    exif = Image.Exif()
    exif[0x010E] = "my street"  # ImageDescription
    exif.get_ifd(0x8825)[2] = (52.0, 13.0, 24.0)  # GPSLatitude
    photo = _picture("JPEG", exif=exif.tobytes(), comment=b"secret comment") + b"<html>trailing</html>"
    assert b"my street" in photo and Image.open(io.BytesIO(photo)).getexif()

    assert _upload(api, token, photo, claimed="image/gif").status == 201
    stored = _stored(database, "dot")
    body = stored["Body"].read()
    assert stored["ContentType"] == "image/jpeg"  # by what it is, not by what the data URL claims
    image = Image.open(io.BytesIO(body))
    assert (image.format, image.size) == ("JPEG", (40, 30))
    assert not image.getexif() and "comment" not in image.info
    assert b"my street" not in body and b"secret comment" not in body and b"<html>" not in body

    assert _upload(api, token, _picture("WEBP")).status == 201
    assert _stored(database, "dot")["ContentType"] == "image/webp"


def test_a_rotated_photo_is_stored_upright_once_its_exif_is_gone(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("dan@example.com", "dan")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned, show it rotated by 90°
    assert _upload(api, token, _picture("JPEG", size=(40, 30), exif=exif.tobytes())).status == 201
    stored = Image.open(io.BytesIO(_stored(database, "dan")["Body"].read()))
    assert stored.size == (30, 40) and not stored.getexif()


def test_what_does_not_decode_as_a_picture_is_refused(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("eli@example.com", "eli")
    png_header_then_html = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(document.cookie)</script></html>"
    truncated = _picture("PNG")[:-30]
    gif = _picture("GIF")
    for raw in (png_header_then_html, truncated, gif):
        refused = _upload(api, token, raw)
        assert (refused.status, refused.body["message"]) == (400, "not-an-image")
        assert _header(refused, "X-Content-Type-Options") == "nosniff"
    with pytest.raises(Exception, match=r"NoSuchKey|Not Found|404"):
        _stored(database, "eli")


def test_decompression_bombs_are_refused_before_they_are_decoded(api: Api, database: db.Connection) -> None:
    token = api.signed_in_token("fin@example.com", "fin")
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 million pixels in 48 KB
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    refused = _upload(api, token, bomb)
    assert (refused.status, refused.body["message"]) == (400, "not-an-image")

    big = _upload(api, token, _picture("PNG", size=(3000, 1500)))
    assert big.status == 201
    stored = Image.open(io.BytesIO(_stored(database, "fin")["Body"].read()))
    assert stored.size == (avatars.MAX_SIDE, avatars.MAX_SIDE // 2)  # scaled down to fit


# The original's web client


def _as_the_original_front_forwards_it(set_cookie: str) -> str:
    """services/front/src/pages/api/auth/{sign-in,refresh-token}.ts: the proxy keeps
    `headers['set-cookie'][0].split('=')[1]` as the cookie's value and later forwards `_rt=${value}`."""
    return f"_rt={set_cookie.split('=')[1]}"


def test_the_original_front_stays_signed_in_after_signing_in(api: Api, database: db.Connection) -> None:
    api.signed_up_and_confirmed("gil@example.com", "gil")
    signed_in = api.sign_in("gil@example.com")
    forwarded = _as_the_original_front_forwards_it(signed_in.set_cookie_header("_rt"))
    assert forwarded == f"_rt={signed_in.cookie('_rt')}; Path"
    refreshed = api.call("GET", "/api/auth/refresh", cookie=forwarded)
    assert refreshed.status == 200 and refreshed.body["user"]["username"] == "gil"
    # And again with the rotated cookie, amid what browsers may also send.
    rotated = _as_the_original_front_forwards_it(refreshed.set_cookie_header("_rt"))
    noisy = f'theme=dark; broken; =nothing; a=b=c; {rotated}; HttpOnly; _rt=""'
    assert api.call("GET", "/api/auth/refresh", cookie=noisy).status == 200


@pytest.mark.parametrize("cookie", ["_rt", "_rt=; Path", "Path; _rt", 'other=1; _rt=""', "_rt=not.a.jwt; Path"])
def test_a_lenient_cookie_read_still_needs_a_valid_refresh_token(
    api: Api, database: db.Connection, cookie: str
) -> None:
    refused = api.call("GET", "/api/auth/refresh", cookie=cookie)
    assert (refused.status, refused.body["message"]) == (401, "invalid-token")


def test_the_original_forgot_password_page_resets_a_password(api: Api, database: db.Connection) -> None:
    """services/front/src/pages/forgot-password.tsx sends every field, empty when not filled in."""
    api.signed_up_and_confirmed("hal@example.com", "hal")
    page = {"email": "hal@example.com", "phone": "", "verificationString": "", "password": ""}
    asked = api.call("POST", "/api/user/forgot-password", page)
    assert (asked.status, asked.body) == (201, {"message": "sent"})
    api.pipeline.drain()
    [message] = [m for m in mailbox() if m["subject"] == "Cryptotalks - Password reset"]
    code = re.search(r"[0-9a-f]{40}", message["text"])
    assert code
    reset = api.call(
        "POST", "/api/user/forgot-password", {**page, "verificationString": code.group(0), "password": NEW_PASSWORD}
    )
    assert (reset.status, reset.body) == (201, {"message": "success"})
    assert "_at" in api.sign_in("hal@example.com", NEW_PASSWORD).body
    nothing = api.call("POST", "/api/user/forgot-password", {**page, "email": ""})
    assert (nothing.status, nothing.body["message"]) == (400, "bad-request")
