"""Mentions are found in prose only, once each, and vote milestones are crossed on the way up only."""

from cryptotalks.posts.mentions import cashtags, mentioned, mentioned_in
from cryptotalks.posts.rules import crossed_milestone


def test_mentions_outside_code() -> None:
    text = [
        "Thanks @ann and @bob.jones. Ask @ann again, not ann@example.com or @x.",
        "Run `@carol` or ``@gus `x` ``:\n```\n@dave\n```",
        "~~~python\n@hal",
        "~~~\n@Frank_99, see above",
    ]
    assert mentioned(text) == ["ann", "bob.jones.", "bob.jones", "Frank_99"]


def test_fences_follow_markdown() -> None:
    # A fence may hold blank lines (several paragraphs); it closes at as many of its own character, or more.
    assert mentioned(["```", "@ann", "~~~", "@bob", "````", "@cid"]) == ["cid"]
    assert mentioned(["  ~~~~ text", "@ann", "~~~", "@bob", "~~~~~", "@cid"]) == ["cid"]
    # A closing line has nothing after its run; ```x``` on a line is a code span, not a fence.
    assert mentioned(["```\n@ann\n``` x\n@bob\n```\n@cid"]) == ["cid"]
    assert mentioned(["```@ann``` @bob"]) == ["bob"]
    # A backtick left alone is not code, nor a span across paragraphs.
    assert mentioned(["it`s @ann", "and @bob`s"]) == ["ann", "bob"]


def test_indented_lines_are_prose() -> None:
    """Posts are plain text: the web client shows an indented line as any other, so its mention is read."""
    assert mentioned(["Quoting:\n    @ann said so"]) == ["ann"]


def test_an_unclosed_fence_hides_the_rest() -> None:
    assert mentioned(["@ann", "```", "@bob"]) == ["ann"]
    assert mentioned(["@ann", "~~~", "@bob"]) == ["ann"]


def test_names_ending_in_dots_or_hyphens() -> None:
    """USERNAME_PATTERN allows `bob.` and `bob-`: a final dot may be the name's or a sentence's, so both names go
    (whoever resolves them tells the users that exist); a hyphen is the name's."""
    assert mentioned(["Ask @bob. Or @ann-, or @cid... or @dee.-"]) == ["bob.", "bob", "ann-", "cid...", "cid", "dee.-"]
    assert mentioned(["@a. @ab @abc. @" + "a" * 32 + "."]) == ["abc.", "abc", "a" * 32]


def test_a_posts_title_and_preview_mention_too() -> None:
    assert mentioned_in("For @ann", "and `@bob` @cid.", ["@ann and @dee"]) == ["ann", "cid.", "cid", "dee"]
    # A fence left open in the title hides the title's rest only.
    assert mentioned_in("```@ann", "@bob", ["@cid"]) == ["bob", "cid"]


def test_at_most_twenty_mentions_however_many_names() -> None:
    names = [f"@user{n}." for n in range(25)]
    assert mentioned([" ".join(names)]) == [name for n in range(20) for name in (f"user{n}.", f"user{n}")]


def test_milestones() -> None:
    assert crossed_milestone(9, 10) == 10
    assert crossed_milestone(10, 11) is None
    assert crossed_milestone(11, 10) is None
    assert crossed_milestone(49, 50) == 50
    assert crossed_milestone(999, 1000) == 1000
    assert crossed_milestone(-1, 0) is None


def test_cashtags_are_symbols_in_upper_case_once_each_in_order() -> None:
    assert cashtags("Long $btc", "and $ETH,", ["then $Btc again; $1INCH too"]) == ["BTC", "ETH", "1INCH"]


def test_prices_words_and_double_dollars_are_no_cashtags() -> None:
    assert cashtags("it costs $100", "a$BTC", ["$$ETH", "$TOOLONGSYMBOLNAME1"]) == []


def test_cashtags_in_code_are_no_mentions() -> None:
    content = ["Buy $SOL:", "```\nprice($ETH)", "", "$ADA\n```", "not `$BTC`, ``$DOT``", "~~~\n$XRP\n~~~", "$LINK"]
    assert cashtags("`$DOGE` vs $TRX", "$ICP, not `$UNI`", content) == ["TRX", "ICP", "SOL", "LINK"]
