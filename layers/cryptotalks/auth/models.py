"""Response bodies of the auth context."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from cryptotalks.http.models import ApiModel
from cryptotalks.users.models import UserProfile


class AccessTokenResponse(ApiModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    access_token: str = Field(alias="_at", description="Access token, sent back as `x-access-token: Bearer …`")


class RefreshResponse(AccessTokenResponse):
    user: UserProfile
