"""Mentions are found in prose only, once each, and vote milestones are crossed on the way up only."""

from cryptotalks.posts.mentions import cashtags, mentioned
from cryptotalks.posts.rules import crossed_milestone


def test_mentions_outside_code() -> None:
    text = [
        "Thanks @ann and @bob.jones. Ask @ann again, not ann@example.com or @x.",
        "Run `@carol` or:\n```\n@dave\n```",
        "    @erin in an indented code line",
        "@Frank_99, see above",
    ]
    assert mentioned(text) == ["ann", "bob.jones", "Frank_99"]


def test_an_unclosed_fence_hides_the_rest() -> None:
    assert mentioned(["@ann", "```", "@bob"]) == ["ann"]


def test_milestones() -> None:
    assert crossed_milestone(9, 10) == 10
    assert crossed_milestone(10, 11) is None
    assert crossed_milestone(11, 10) is None
    assert crossed_milestone(49, 50) == 50
    assert crossed_milestone(999, 1000) == 1000
    assert crossed_milestone(-1, 0) is None


def test_cashtags_are_symbols_in_upper_case_once_each_in_order() -> None:
    assert cashtags(["Long $btc and $ETH,", "then $Btc again; $1INCH too"]) == ["BTC", "ETH", "1INCH"]


def test_prices_words_and_double_dollars_are_no_cashtags() -> None:
    assert cashtags(["it costs $100", "a$BTC", "$$ETH", "$TOOLONGSYMBOLNAME1"]) == []
