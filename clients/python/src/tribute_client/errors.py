"""Typed exceptions for Tribute's gRPC errors (AIP-193: google.rpc.Status with ErrorInfo and BadRequest)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import grpc
from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    """One invalid request field: its AIP-161 path (e.g. "asset.creators[1].share_ppm") and why."""

    field: str
    description: str


class TributeError(Exception):
    """A failed Tribute call. `reason` is the ErrorInfo reason (e.g. "ASSET_NOT_FOUND"), `domain` the service
    that decided, `metadata` the ErrorInfo metadata and `field_violations` the BadRequest violations."""

    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(self, message: str, *, code: grpc.StatusCode | None = None, reason: str = "",
                 domain: str = "", metadata: Mapping[str, str] | None = None,
                 field_violations: Sequence[FieldViolation] = ()) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.reason = reason
        self.domain = domain
        self.metadata: dict[str, str] = dict(metadata or {})
        self.field_violations: list[FieldViolation] = list(field_violations)

    @property
    def violated_fields(self) -> list[str]:
        """The paths of the invalid fields, in the order the service listed them."""
        return [v.field for v in self.field_violations]

    def __str__(self) -> str:
        text = f"{self.code.name}"
        if self.reason:
            text += f" {self.reason}"
        text += f": {self.message}"
        if self.field_violations:
            text += " [" + "; ".join(f"{v.field}: {v.description}" for v in self.field_violations) + "]"
        return text


class InvalidArgument(TributeError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(TributeError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(TributeError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(TributeError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class OutOfRange(TributeError):
    code = grpc.StatusCode.OUT_OF_RANGE


class PermissionDenied(TributeError):
    code = grpc.StatusCode.PERMISSION_DENIED


class ResourceExhausted(TributeError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class Unavailable(TributeError):
    code = grpc.StatusCode.UNAVAILABLE


class DeadlineExceeded(TributeError):
    code = grpc.StatusCode.DEADLINE_EXCEEDED


class Unimplemented(TributeError):
    code = grpc.StatusCode.UNIMPLEMENTED


class Internal(TributeError):
    code = grpc.StatusCode.INTERNAL


class Cancelled(TributeError):
    code = grpc.StatusCode.CANCELLED


class VerificationError(Exception):
    """An offline verification failed: a forged or altered signature, a broken proof, an unknown key."""


_BY_CODE: dict[grpc.StatusCode, type[TributeError]] = {
    cls.code: cls for cls in (InvalidArgument, NotFound, AlreadyExists, FailedPrecondition, OutOfRange,
                              PermissionDenied, ResourceExhausted, Unavailable, DeadlineExceeded,
                              Unimplemented, Internal, Cancelled)
}
_BY_NUMBER: dict[int, grpc.StatusCode] = {code.value[0]: code for code in grpc.StatusCode}


def error_class(code: grpc.StatusCode) -> type[TributeError]:
    return _BY_CODE.get(code, TributeError)


def from_status(code: grpc.StatusCode, message: str, details: bytes | None) -> TributeError:
    """Builds the typed exception from a status code, its message and the grpc-status-details-bin bytes."""
    reason, domain, metadata, violations = "", "", {}, []
    if details:
        status = status_pb2.Status.FromString(details)
        message = status.message or message
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, domain, metadata = info.reason, info.domain, dict(info.metadata)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                violations += [FieldViolation(v.field, v.description) for v in bad_request.field_violations]
    return error_class(code)(message, code=code, reason=reason, domain=domain, metadata=metadata,
                             field_violations=violations)


def from_rpc_error(error: grpc.RpcError) -> TributeError:
    """Converts a grpc (or grpc.aio) RpcError into the matching TributeError subclass."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    details = None
    trailing = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailing or ():
        if key == STATUS_DETAILS_KEY:
            details = value
    return from_status(code or grpc.StatusCode.UNKNOWN, message or "", details)


def from_item_error(error) -> TributeError:
    """Converts a per-item tribute.common.v1.ItemError (bulk streams) into the matching TributeError."""
    code = _BY_NUMBER.get(error.code, grpc.StatusCode.UNKNOWN)
    return error_class(code)(error.message, code=code, reason=error.reason, domain=error.domain,
                             metadata=dict(error.metadata),
                             field_violations=[FieldViolation(v.field, v.description)
                                               for v in error.field_violations])
