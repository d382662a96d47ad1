"""Path and query parameters of the crypto endpoints, validated by Powertools (bad values: 400 validation-error)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from cryptotalks.crypto.data import PageRequest
from cryptotalks.crypto.models import (
    COIN_ID_PATTERN,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    SORT_ORDER_PATTERN,
    CoinOrder,
)

CoinId = Annotated[str, Path(pattern=COIN_ID_PATTERN, description="Coinranking's id of the coin (`uuid`)")]
Page = Annotated[int, Path(ge=0, le=MAX_PAGE, description="Page number, from 0")]
PageSize = Annotated[int, Path(ge=1, le=MAX_PAGE_SIZE)]
Order = Annotated[str, Path(pattern=SORT_ORDER_PATTERN, description="ASC or DESC, in any case")]
OrderBy = Annotated[CoinOrder, Path()]
SearchQuery = Annotated[
    str | None,
    Query(max_length=MAX_SEARCH_LENGTH, description="Start of the name or symbol, in any case"),
]
Username = Annotated[str | None, Query(max_length=64, description="Whose favourites; yours when left out")]


def page_request(page: int, page_size: int, order: str, order_by: CoinOrder) -> PageRequest:
    return PageRequest(page, page_size, order_by, descending=order.upper() == "DESC")
