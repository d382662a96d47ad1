"""Market data from Coinranking (prices, ranks, market stats) and CoinGecko (descriptions), or from the bundled
snapshot of recorded responses when no Coinranking key is configured."""
