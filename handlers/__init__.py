"""Use cases: the chat flows of every role. Platform-free: no SDK, no aiohttp."""
