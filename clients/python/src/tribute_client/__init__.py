"""Tribute's Python client: register contributions, attribute AI outputs, record revenue, verify offline.

    from tribute_client import TributeClient, Wallet
    with TributeClient() as tribute:
        alice = tribute.create_contributor("Alice", "user-42")
"""
from . import errors, merkle, pb, verify
from ._policy import NO_RETRY, RetryPolicy
from ._requests import AssetSpec, Parent, split_evenly
from .aio import AsyncTributeClient
from .client import Endpoints, TributeClient
from .errors import (AlreadyExists, DeadlineExceeded, FailedPrecondition, FieldViolation, InvalidArgument,
                     NotFound, OutOfRange, TributeError, Unavailable, Unimplemented, VerificationError)
from .hashing import sha256_bytes, sha256_file
from .results import AttributionOutcome, BulkItem, BulkResult, DatasetRegistration, explain
from .training import TrainingRun
from .verify import Verdict
from .wallet import Wallet

__all__ = [
    "AlreadyExists", "AssetSpec", "AttributionOutcome", "AsyncTributeClient", "BulkItem", "BulkResult", "DatasetRegistration",
    "DeadlineExceeded", "Endpoints", "FailedPrecondition", "FieldViolation", "InvalidArgument", "NO_RETRY",
    "NotFound", "OutOfRange", "Parent", "RetryPolicy", "TrainingRun", "TributeClient", "TributeError",
    "Unavailable", "Unimplemented", "Verdict", "VerificationError", "Wallet", "errors", "explain", "merkle",
    "pb", "sha256_bytes", "sha256_file", "split_evenly", "verify",
]
