"""The send budget's slots in Redis (``LIMBER_REDIS_URL``): the same GCRA as the PostgreSQL
row, as a Lua script, so a reservation is one atomic round trip on Redis's own clock.

Needs the optional ``redis`` extra (``pip install limber[redis]``).
"""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis

from bot.reminders.budget import Lane, LaneRate

KEY_PREFIX = "limber:send_budget:"

# KEYS[1]: the lane's key; ARGV: catch-up seconds, span seconds (count * interval), and for a
# hold, the seconds to hold. Returns the first slot and Redis's now, as strings (exact floats).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(tat, now - tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(start + tonumber(ARGV[2])), 'EX', 86400)
return {tostring(start), tostring(now)}
"""
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], tostring(math.max(tat, now + tonumber(ARGV[1]))), 'EX', 86400)
return 1
"""


class RedisSlots:
    """Slots shared through one Redis key per lane."""

    def __init__(self, url: str, *, prefix: str = KEY_PREFIX) -> None:
        self._redis: Redis = Redis.from_url(url)
        self._prefix = prefix
        self._reserve: Any = self._redis.register_script(_RESERVE)
        self._hold: Any = self._redis.register_script(_HOLD)

    async def reserve(self, lane: Lane, rate: LaneRate, count: int) -> float:
        start, now = await self._reserve(
            keys=[self._prefix + lane.value], args=[rate.catch_up, count * rate.interval]
        )
        return time.monotonic() + (float(start) - float(now))

    async def hold(self, lane: Lane, seconds: float) -> None:
        await self._hold(keys=[self._prefix + lane.value], args=[seconds])

    async def close(self) -> None:
        await self._redis.aclose()
