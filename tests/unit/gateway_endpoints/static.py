from cryptotalks.http import Endpoint, MessageResponse

endpoint = Endpoint("GET", "/api/things/list", "static", context="things")


@endpoint.route
def list_things() -> MessageResponse:
    return MessageResponse(message="static", context="things")


handler = endpoint.lambda_handler
