"""`cryptotalks seed`: demo accounts, posts, comments and votes, so that a local run shows a living forum.

Everything goes through the contexts' own logic, as the API would: accounts are signed up, confirmed with the
link the users context mails (read from the dev mailbox), and the events are handed to their consumers, so the
posts context learns the usernames from user_created like any other account. Running it again adds only what is
missing.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptotalks import errors
from cryptotalks.errors import ApiError
from cryptotalks.notifications.email import DevMailbox
from cryptotalks.posts import logic as posts
from cryptotalks.posts.models import CreatePostRequest
from cryptotalks.posts.rules import slugify
from cryptotalks.users import logic as users
from cryptotalks.users.models import Account, SignInRequest, SignUpRequest
from cryptotalks_dev.pollers import QueuePoller
from cryptotalks_dev.services import LocalServices, local_services

DEMO_PASSWORD = "Demo-passw0rd!"
DEMO_EMAIL_DOMAIN = "demo.cryptotalks.dev"
_CONFIRMATION_SECRET = re.compile(r"/account-confirmation/([0-9a-f]{40})")

Say = Callable[[str], None]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    title: str
    bio: str

    @property
    def email(self) -> str:
        return f"{self.username.lower()}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoComment:
    author: str
    text: str
    votes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoPost:
    author: str
    title: str
    preview: str
    content: tuple[str, ...]
    tags: tuple[str, ...]
    votes: tuple[tuple[str, str], ...] = ()
    comments: tuple[DemoComment, ...] = ()


USERS = (
    DemoUser("HodlHelga", "Helga", "Long-term holder", "Buys every month, sells never, sleeps well."),
    DemoUser("GasFeeGus", "Gus", "Ethereum tinkerer", "Writes small contracts and complains about gas."),
    DemoUser("LedgerLena", "Lena", "Security nerd", "Keeps her keys offline and tells everyone to do the same."),
    DemoUser("MinerMarek", "Marek", "Home miner", "Runs two rigs in the garage; the cat likes the warmth."),
    DemoUser("DefiDora", "Dora", "Yield explorer", "Tries every new protocol with pocket money first."),
)

POSTS = (
    DemoPost(
        "HodlHelga",
        "Dollar-cost averaging, two years in",
        "What buying the same amount every month did for my nerves.",
        (
            "Two years ago I stopped trying to guess the bottom. Every first of the month I buy the same small "
            "amount of bitcoin, whatever the price did the week before.",
            "The result is an average price that no single purchase would have given me, and far fewer evenings "
            "spent staring at charts.",
            "It is not advice, just what works for someone with a day job and little patience for trading.",
        ),
        ("bitcoin", "dca", "hodl"),
        votes=(("LedgerLena", "+"), ("MinerMarek", "+"), ("DefiDora", "-")),
        comments=(
            DemoComment(
                "MinerMarek", "Same here, but weekly. Smaller amounts feel even calmer.", (("HodlHelga", "+"),)
            ),
            DemoComment(
                "DefiDora", "Fair, though you miss the dips you could have bought double.", (("GasFeeGus", "-"),)
            ),
        ),
    ),
    DemoPost(
        "GasFeeGus",
        "Why my contract call cost more than the swap",
        "A short tour of gas limits, base fees and tips.",
        (
            "Last week a token swap cost me a few cents while approving the token beforehand cost almost a dollar.",
            "The approval writes to storage for the first time, and first writes are the expensive kind. "
            "The swap itself mostly touched storage that already existed.",
            "Lesson: batch approvals, and look at what a call writes before blaming the network.",
        ),
        ("ethereum", "gas", "smart-contracts"),
        votes=(("DefiDora", "+"), ("HodlHelga", "+")),
        comments=(DemoComment("LedgerLena", "And revoke old approvals now and then. They outlive your interest."),),
    ),
    DemoPost(
        "LedgerLena",
        "Seed phrases belong on paper, not in screenshots",
        "Three habits that keep a wallet yours.",
        (
            "Write the recovery words by hand, twice, and keep the copies in two different places.",
            "Never type them into a website, a chat or a notes app that syncs to the cloud.",
            "Test a recovery with a small wallet before you trust the method with real savings.",
        ),
        ("security", "wallets"),
        votes=(("HodlHelga", "+"), ("GasFeeGus", "+"), ("MinerMarek", "+"), ("DefiDora", "+")),
        comments=(
            DemoComment("HodlHelga", "Steel plates for the paranoid among us (me).", (("LedgerLena", "+"),)),
            DemoComment("GasFeeGus", "Printed this and taped it to my monitor. Ironically."),
        ),
    ),
    DemoPost(
        "MinerMarek",
        "Is home mining still worth it?",
        "Electricity, noise and the numbers for a small setup.",
        (
            "With electricity at my price the rigs earn a little more than they burn, mostly in winter when the "
            "heat is welcome anyway.",
            "In summer they run at reduced power, or not at all when the afternoon tariff peaks.",
        ),
        ("mining", "bitcoin"),
        votes=(("HodlHelga", "+"), ("LedgerLena", "-")),
        comments=(DemoComment("DefiDora", "Have you tried selling the heat to your neighbours?"),),
    ),
    DemoPost(
        "DefiDora",
        "Staking rewards are not free money",
        "Where the yield comes from, and what can go wrong.",
        (
            "A staking reward is paid for locking coins that secure a network, and the network pays partly by "
            "issuing new coins, which dilutes everyone who does not stake.",
            "Liquid staking adds a second token and a second set of risks: the contract, and the price of the "
            "receipt token drifting from the coin it stands for.",
            "Start small, read the withdrawal rules, and never stake what you may need next month.",
        ),
        ("staking", "defi", "ethereum"),
        votes=(("GasFeeGus", "+"), ("LedgerLena", "+"), ("MinerMarek", "+")),
        comments=(
            DemoComment("GasFeeGus", "The withdrawal queue surprised me the first time.", (("DefiDora", "+"),)),
            DemoComment("HodlHelga", "Too complicated for me, I will keep holding.", (("MinerMarek", "+"),)),
        ),
    ),
    DemoPost(
        "HodlHelga",
        "A glossary for my parents",
        "Wallet, exchange, key, block: explained without charts.",
        (
            "A wallet is a pair of keys: one you may share to receive coins, one you must never share.",
            "An exchange is a shop that holds coins for you; convenient, but they are then its coins on paper.",
            "A block is a page of the public ledger, added every few minutes and never torn out.",
        ),
        ("beginners",),
        votes=(("DefiDora", "+"),),
    ),
)


def _drain(pollers: list[QueuePoller]) -> None:
    """Hands every queued event to its consumer until the queues stay empty."""
    while sum(poller.poll_once() for poller in pollers):
        pass


def _confirmation_secret(stack: LocalServices, email: str) -> str:
    mails = [m for m in DevMailbox(str(stack.outbox_dir)).messages() if m["to"] == email]
    found = _CONFIRMATION_SECRET.search(mails[-1]["text"]) if mails else None
    if found is None:
        raise RuntimeError(f"no confirmation link was mailed to {email} (is SENDGRID_API_KEY set?)")
    return found.group(1)


def _signed_in(user: DemoUser) -> uuid.UUID:
    account = users.sign_in(SignInRequest(email=user.email, password=DEMO_PASSWORD))
    if not isinstance(account, Account):
        raise RuntimeError(f"{user.email} asks for a second factor; seed only fresh demo accounts")
    return account.id


def _account(user: DemoUser, stack: LocalServices, pollers: list[QueuePoller]) -> tuple[uuid.UUID, str]:
    """The account's id, and what was done."""
    try:
        return _signed_in(user), "already there"
    except ApiError as refused:
        if refused.code is errors.WRONG_CREDENTIALS:
            users.sign_up(
                SignUpRequest(
                    email=user.email,
                    password=DEMO_PASSWORD,
                    username=user.username,
                    tac=True,
                    firstName=user.first_name,
                    title=user.title,
                    bio=user.bio,
                )
            )
        elif refused.code is not errors.ACCOUNT_NOT_CONFIRMED:
            raise
    _drain(pollers)  # the users context mails the confirmation link; posts records the username
    users.confirm_account(_confirmation_secret(stack, user.email))
    _drain(pollers)
    return _signed_in(user), "signed up and confirmed"


def _post(post: DemoPost, ids: dict[str, uuid.UUID]) -> str:
    """Writes the post with its votes and comments unless it is there; says what was done."""
    try:
        posts.get_post(slugify(post.title), None, to_edit=False)
        return "already there"
    except ApiError as refused:
        if refused.code is not errors.POST_NOT_FOUND:
            raise
    request = CreatePostRequest(
        title=post.title, preview=post.preview, content=list(post.content), searchTags=list(post.tags)
    )
    post_id = posts.create_post(ids[post.author], request).id
    for voter, rate in post.votes:
        posts.rate_post(ids[voter], post_id, rate)
    for comment in post.comments:
        comment_id = posts.leave_comment(ids[comment.author], post_id, comment.text)
        for voter, rate in comment.votes:
            posts.rate_comment(ids[voter], post_id, comment_id, rate)
    return f"written, with {len(post.comments)} comments and {len(post.votes)} votes"


def seed_demo_data(data_dir: Path, public_base_url: str, say: Say) -> None:
    with local_services(data_dir, public_base_url) as stack:
        pollers = [QueuePoller(queue, threading.Event(), wait_seconds=0) for queue in stack.queues]
        _drain(pollers)  # whatever an earlier run left queued
        ids = {}
        for number, user in enumerate(USERS, start=1):
            ids[user.username], done = _account(user, stack, pollers)
            say(f"[{number}/{len(USERS)}] account {user.username}: {done}")
        for number, post in enumerate(POSTS, start=1):
            say(f"[{number}/{len(POSTS)}] post {post.title!r}: {_post(post, ids)}")
        _drain(pollers)  # action log entries and the other contexts' consumers
    say(f"Demo accounts (password {DEMO_PASSWORD!r} for each):")
    for user in USERS:
        say(f"  {user.username:<12} {user.email}")
