"""The contexts' pure rules, without a database: slugs, tags, vote arithmetic, the step-up and the password's
change interval."""

from datetime import UTC, datetime, timedelta

import pytest

from cryptotalks.errors import ApiError
from cryptotalks.posts.events import RateValue
from cryptotalks.posts.rules import SLUG_MAX_LENGTH, clean_tags, next_vote, slugify, tag_filter
from cryptotalks.users.rules import PASSWORD_CHANGE_INTERVAL, StepUpNeed, may_change_password, step_up_need


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Bitcoin to the moon", "bitcoin-to-the-moon"),
        ("  Why   $ETH?  ", "why-eth"),
        ("a - b -- c", "a-b-c"),
        ("Ünïcode & ☃", "ncode"),
        ("!!!", "post"),
        ("snake_case-kept", "snake_case-kept"),
    ],
)
def test_slugs_follow_the_original(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_long_title_gives_a_slug_of_at_most_the_limit_without_a_trailing_hyphen() -> None:
    slug = slugify("word " * 60)
    assert len(slug) <= SLUG_MAX_LENGTH and not slug.endswith("-")


def test_tags_are_lower_case_trimmed_and_without_repeats_in_their_order() -> None:
    assert clean_tags([" Bitcoin", "bitcoin", "DeFi ", "eth"]) == ["bitcoin", "defi", "eth"]


@pytest.mark.parametrize("tag", ["", "   ", "x" * 21])
def test_an_empty_or_long_tag_is_refused(tag: str) -> None:
    with pytest.raises(ApiError) as refused:
        clean_tags(["fine", tag])
    assert refused.value.code.message == "tag-length"


def test_the_lists_tag_query_reads_as_tags_are_stored() -> None:
    assert tag_filter(" BTC,eth,,btc , ") == ("btc", "eth")
    assert tag_filter(None) == ()


@pytest.mark.parametrize(
    ("previous", "rate", "vote", "change"),
    [
        (None, "+", "+", 1),
        (None, "-", "-", -1),
        ("+", "+", None, -1),  # the same vote again withdraws it
        ("-", "-", None, 1),
        ("+", "-", "-", -2),  # the other vote replaces it
        ("-", "+", "+", 2),
    ],
)
def test_votes_toggle_and_the_rating_moves_by_the_difference(
    previous: RateValue | None, rate: RateValue, vote: RateValue | None, change: int
) -> None:
    assert next_vote(previous, rate) == (vote, change)


@pytest.mark.parametrize(
    ("totp", "phone", "two_fa_code", "sms_code", "need"),
    [
        (False, False, None, None, StepUpNeed.NOTHING),
        (False, False, "123456", "654321", StepUpNeed.NOTHING),
        (True, False, None, None, StepUpNeed.ASK_TOTP),
        (True, False, "", None, StepUpNeed.ASK_TOTP),
        (True, False, "123456", None, StepUpNeed.CHECK_TOTP),
        (True, True, None, "654321", StepUpNeed.ASK_TOTP),  # the app comes first; an SMS code does not pass it
        (False, True, None, None, StepUpNeed.SEND_SMS),
        (False, True, "123456", None, StepUpNeed.SEND_SMS),  # an app code for a phone user sends the SMS
        (False, True, None, "654321", StepUpNeed.CHECK_SMS),
    ],
)
def test_the_step_up_asks_for_the_accounts_factor_until_its_code_comes(
    totp: bool, phone: bool, two_fa_code: str | None, sms_code: str | None, need: StepUpNeed
) -> None:
    assert step_up_need(totp, phone, two_fa_code, sms_code) is need


def test_a_password_changes_once_a_day_at_most() -> None:
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert may_change_password(None, now)
    assert not may_change_password(now - PASSWORD_CHANGE_INTERVAL + timedelta(seconds=1), now)
    assert may_change_password(now - PASSWORD_CHANGE_INTERVAL, now)
