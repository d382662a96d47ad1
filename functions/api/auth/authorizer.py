"""The API's Lambda authorizer (REQUEST type, identity source `x-access-token`).

Allows a valid access token of a live session and hands `userId` and `sessionId` to the endpoint; denies
anything else with the contract's error in its context, which the gateway response turns into
`{"statusCode": 401, "message": ..., "error": ...}`.
"""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from cryptotalks.auth import logic
from cryptotalks.errors import ApiError
from cryptotalks.http.request import ACCESS_TOKEN_HEADER
from cryptotalks.observability import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = APIGatewayAuthorizerRequestEvent(event)
    arn = request.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id="anonymous",
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
    )
    try:
        claims = logic.authorize(request.headers.get(ACCESS_TOKEN_HEADER))
    except ApiError as refused:
        policy.context = {k: v for k, v in refused.code.body().items()}
        policy.deny_all_routes()
        return policy.asdict()
    policy.principal_id = str(claims.user_id)
    policy.context = {"userId": str(claims.user_id), "sessionId": str(claims.session_id)}
    policy.allow_all_routes()
    return policy.asdict()
