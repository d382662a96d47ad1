"""Paths of the web client, for the tests of both places that serve it: `cryptotalks dev` and, on AWS, CloudFront's
page router. Each must answer the client's pages with index.html and its built files as they are."""

PAGES = ["/", "/posts/some-slug", "/user/john.doe", "/account-confirmation/" + "a" * 40, "/coins", "/unsubscribe"]
BUILT_FILES = ["/assets/index-abc123.js", "/favicon.svg"]
# What a browser sends when it navigates to a page.
NAVIGATION_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
