from cryptotalks.http import Endpoint, MessageResponse

endpoint = Endpoint("GET", "/api/things/list", "static")


@endpoint.route
def list_things() -> MessageResponse:
    return MessageResponse(message="static")


handler = endpoint.lambda_handler
