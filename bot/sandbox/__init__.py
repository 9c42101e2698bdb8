"""A local fake Telegram Bot API for end-to-end tests and `limber demo`.

`FakeBotApi` (server.py) is the entry point; models.py holds the snapshots
tests assert on; terminal.py is the chat client used by the demo.
"""
