"""The crypto context: coins, market stats and each user's favourites."""
