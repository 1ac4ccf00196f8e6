"""The console channel: the conversation core in a terminal, for `whistle chat`, `whistle demo`
and the handler tests."""
