"""GET /api/notifications/preferences"""

from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.notices import logic
from cryptotalks.notices.models import Preferences

endpoint = Endpoint(
    "GET",
    "/api/notifications/preferences",
    "Your email (and SMS) choices per kind of notification",
    auth=Auth.SIGNED_IN,
    context="notices",
    no_store=True,
)


@endpoint.route
def get_notification_preferences(caller: SignedIn) -> Preferences:
    """Defaults: security and price alerts by email, the other kinds in the app only. Security emails are always
    sent (`emailRequired`)."""
    return logic.preferences(caller.user_id)


handler = endpoint.lambda_handler
