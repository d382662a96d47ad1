"""PATCH /api/notifications/preferences"""

from cryptotalks import errors
from cryptotalks.http import Auth, Endpoint, SignedIn
from cryptotalks.notices import logic
from cryptotalks.notices.models import Preferences, PreferencesRequest

endpoint = Endpoint(
    "PATCH",
    "/api/notifications/preferences",
    "Change your email (and SMS) choices for some kinds of notification",
    auth=Auth.SIGNED_IN,
    errors=(errors.SMS_NOT_POSSIBLE, errors.SECURITY_EMAIL_REQUIRED, errors.USER_NOT_FOUND),
    context="notices",
    no_store=True,
)


@endpoint.route
def set_notification_preferences(body: PreferencesRequest, caller: SignedIn) -> Preferences:
    """A field left out keeps its value. SMS can be chosen for price alerts, once a phone is set; security emails
    cannot be turned off. Turning a kind's email off drops its notifications waiting for the digest."""
    return logic.set_preferences(caller.user_id, body)


handler = endpoint.lambda_handler
