"""Deadlines and retries shared by the sync and asyncio clients."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import grpc

from .errors import TributeError

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_WATCH_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with equal jitter (each pause between half the backoff and all of it) for idempotent
    calls (reads, and writes carrying the request_id the client generated once per call, so that a retry can only
    replay the first effect). Retries stop at max_attempts or when the next pause would pass the call's deadline."""

    max_attempts: int = 5
    initial_backoff: float = 0.1
    max_backoff: float = 3.0
    multiplier: float = 2.0
    retryable_codes: frozenset[grpc.StatusCode] = field(
        default_factory=lambda: frozenset({grpc.StatusCode.UNAVAILABLE}))

    def should_retry(self, error: TributeError, attempts_made: int) -> bool:
        return error.code in self.retryable_codes and attempts_made < self.max_attempts

    def pause(self, attempts_made: int) -> float:
        ceiling = min(self.max_backoff, self.initial_backoff * self.multiplier ** (attempts_made - 1))
        return random.uniform(ceiling / 2, ceiling)


NO_RETRY = RetryPolicy(max_attempts=1)
