"""What the tests and the benches both use to run the app as a user meets it: a server started with the
README's command (local_server) and Debian's Chromium driven by Playwright (chromium). Neither tests/ nor
bench/ import each other; both import this."""
