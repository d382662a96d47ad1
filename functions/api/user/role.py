"""POST /api/user/role"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.users import roles
from cryptotalks.users.models import RoleChange, RoleChangeRequest
from cryptotalks.users.rules import Role

endpoint = Endpoint(
    "POST",
    "/api/user/role",
    "Grant or revoke a moderator's or an admin's role (admins only)",
    auth=Auth.SIGNED_IN,
    status=201,
    errors=(errors.ADMINS_ONLY, errors.USER_NOT_FOUND, errors.ROLE_NOT_HELD),
    context="users",
    one_transaction=True,
)


@endpoint.route
def change_role(body: RoleChangeRequest, caller: SignedIn) -> RoleChange:
    """The caller's role is read from the database, never from the token."""
    roles.require(caller.user_id, Role.ADMIN)
    return roles.change_role(body.username, body.role, body.action == "grant", by=caller.user_id)


handler = endpoint.lambda_handler
