"""Roles: `member` (every account), `moderator` (decides on reported and held posts and comments), `admin`
(a moderator who also grants and revokes roles).

The database is the only authority: a route that needs a role asks `require` in its own transaction, whatever the
caller's token claims (its `role` claim is a hint for clients, to show or hide links). Roles are changed only by an
operator (`cryptotalks grant`, the jobs-grant-role function) or by an admin (POST /api/user/role); no public route
or body field reaches `users.role`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from cryptotalks import db, errors
from cryptotalks.errors import ApiError
from cryptotalks.events import publish
from cryptotalks.events.catalogue import ActionStatus, LogUserAction
from cryptotalks.http.request import Caller
from cryptotalks.users import data
from cryptotalks.users.rules import Role

if TYPE_CHECKING:
    from cryptotalks.users.models import RoleChange

CONTEXT = "users"
_RANK = {Role.MEMBER: 0, Role.MODERATOR: 1, Role.ADMIN: 2}
_REFUSAL = {Role.MODERATOR: errors.MODERATORS_ONLY, Role.ADMIN: errors.ADMINS_ONLY}


def role_of(user_id: uuid.UUID) -> Role:
    """The account's role now; `user-not-found` once it is closed."""
    with db.transaction() as tx:
        role = data.find_role(tx.conn, user_id)
    if role is None:
        raise ApiError(errors.USER_NOT_FOUND)
    return Role(role)


def has_role(user_id: uuid.UUID, at_least: Role) -> bool:
    return _RANK[role_of(user_id)] >= _RANK[at_least]


def require(user_id: uuid.UUID, at_least: Role) -> None:
    """`moderators-only` or `admins-only` (403) unless the account's role includes `at_least`."""
    if not has_role(user_id, at_least):
        raise ApiError(_REFUSAL[at_least])


def is_moderator(reader: Caller | None) -> bool:
    """Whether a reader of a public route sees what moderators see. Only tokens that claim a role are looked up:
    members, whatever they claim otherwise, cost nothing, and the database still decides."""
    if reader is None or reader.role_hint == Role.MEMBER:
        return False
    try:
        return has_role(reader.user_id, Role.MODERATOR)
    except ApiError:  # the account is closed: an anonymous reader
        return False


def change_role(username: str, role: Role, grant: bool, by: uuid.UUID | None) -> RoleChange:
    """Grant `role` (the account's role becomes it), or revoke it (the account is a member again;
    `role-not-held` when it had another role). `by`: the admin who asked, None for an operator."""
    if role is Role.MEMBER:
        raise ApiError(errors.VALIDATION_ERROR)  # every account is a member: grant a role or revoke one
    with db.transaction() as tx:
        account = data.lock_role_by_username(tx.conn, username)
        if account is None:
            raise ApiError(errors.USER_NOT_FOUND)
        if not grant and account.role != role:
            raise ApiError(errors.ROLE_NOT_HELD)
        after = role if grant else Role.MEMBER
        data.set_role(tx.conn, account.id, after)
        who = f"admin {by}" if by else "an operator"
        publish(
            LogUserAction(
                event="ROLE_GRANTED" if grant else "ROLE_REVOKED",
                status=ActionStatus.SUCCESS,
                userId=account.id,
                message=f"User {account.id} is now {after} ({role} {'granted' if grant else 'revoked'} by {who}).",
            ),
            CONTEXT,
        )
    from cryptotalks.users.models import RoleChange  # the routes that only ask for a role never load the models

    return RoleChange(username=account.username, role=after)
