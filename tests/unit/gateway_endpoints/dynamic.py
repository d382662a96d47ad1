from cryptotalks.http import Endpoint, MessageResponse

endpoint = Endpoint("GET", "/api/things/{slug}", "dynamic", context="things")


@endpoint.route
def get_thing(slug: str) -> MessageResponse:
    return MessageResponse(message=f"dynamic {slug}")


handler = endpoint.lambda_handler
