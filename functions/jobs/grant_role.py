"""Grant or revoke a role on AWS, as `cryptotalks grant|revoke ROLE USERNAME` does locally: run on demand by an
operator (`aws lambda invoke --payload '{"action": "grant", "role": "admin", "username": "alice"}'`), which is how
the first admin is made; admins then use POST /api/user/role."""

from typing import Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from cryptotalks.jobs import Job
from cryptotalks.observability import logger
from cryptotalks.users import roles
from cryptotalks.users.rules import Role

job = Job("Grant or revoke a moderator's or an admin's role (run by an operator)", schedule=None, context="users")


class RoleCommand(BaseModel):
    action: Literal["grant", "revoke"]
    role: Literal[Role.MODERATOR, Role.ADMIN]
    username: str


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    command = RoleCommand.model_validate(event)
    changed = roles.change_role(command.username, command.role, command.action == "grant", by=None)
    logger.info("role changed", extra={"username": changed.username, "role": changed.role})
    return changed.model_dump(mode="json")
