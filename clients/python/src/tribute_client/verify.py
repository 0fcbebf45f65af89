"""Offline verification: manifests (JWS EdDSA against the registry's JWKS), content against a manifest, and
attribution log inclusion against a signed checkpoint (C2SP signed note + RFC 9162 proof). No network."""
from __future__ import annotations

import base64
import enum
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import merkle
from .errors import VerificationError
from .hashing import sha256_file

_ED25519_NOTE_TYPE = b"\x01"
_NOTE_SIGNATURE_PREFIX = "\u2014 "


class Verdict(str, enum.Enum):
    """The outcome of checking content against a manifest (the same names as the registry's VerifyContent)."""

    AUTHENTIC = "AUTHENTIC"
    MODIFIED = "MODIFIED"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"


@dataclass(frozen=True)
class Manifest:
    """A manifest whose signature verified: its decoded payload and the key that signed it."""

    key_id: str
    payload: dict[str, Any]
    payload_json: str

    @property
    def asset(self) -> dict[str, Any]:
        return self.payload["asset"]

    @property
    def sha256(self) -> str:
        return self.payload["asset"]["sha256"]


@dataclass(frozen=True)
class ContentVerification:
    """The verdict on some content and a manifest claimed for it."""

    verdict: Verdict
    content_sha256: str
    manifest: Manifest | None
    detail: str

    @property
    def authentic(self) -> bool:
        return self.verdict is Verdict.AUTHENTIC


@dataclass(frozen=True)
class VerifiedCheckpoint:
    """A transparency log checkpoint whose signature verified."""

    origin: str
    tree_size: int
    root_hash: str
    timestamp_millis: int
    key_name: str


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint of an OKP key (base64url): the registry's key id."""
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"),
                           sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def verify_manifest(manifest_jws: str, jwks: str | dict[str, Any]) -> Manifest:
    """Verifies a manifest JWS (compact serialization) against a JWKS (ListSigningKeys.jwks_json): alg EdDSA,
    kid naming an Ed25519 key of the JWKS whose RFC 7638 thumbprint is that kid, valid signature.
    Raises VerificationError otherwise."""
    key_set = json.loads(jwks) if isinstance(jwks, str) else jwks
    parts = manifest_jws.strip().split(".")
    if len(parts) != 3:
        raise VerificationError("a JWS in compact serialization has three parts")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        payload_bytes = _b64url_decode(parts[1])
        signature = _b64url_decode(parts[2])
    except ValueError as e:
        raise VerificationError(f"malformed JWS: {e}") from e
    if header.get("alg") != "EdDSA":
        raise VerificationError(f"unexpected JWS algorithm {header.get('alg')!r} (expected EdDSA)")
    kid = header.get("kid")
    keys = [k for k in key_set.get("keys", []) if k.get("kid") == kid]
    if not keys:
        raise VerificationError(f"the JWKS has no key {kid!r}")
    jwk = keys[0]
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise VerificationError(f"key {kid} is not an Ed25519 key")
    if jwk_thumbprint(jwk) != kid:
        raise VerificationError(f"key {kid} is not named by its RFC 7638 thumbprint")
    try:
        Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"])).verify(
            signature, (parts[0] + "." + parts[1]).encode("ascii"))
    except (InvalidSignature, ValueError) as e:
        raise VerificationError("the manifest's signature does not verify") from e
    payload_json = payload_bytes.decode("utf-8")
    return Manifest(key_id=kid, payload=json.loads(payload_json), payload_json=payload_json)


def verify_content(content_sha256: str, manifest_jws: str, jwks: str | dict[str, Any]) -> ContentVerification:
    """Checks a content hash against a manifest: SIGNATURE_INVALID if the manifest does not verify, else
    AUTHENTIC when the hash is the manifest's asset.sha256, MODIFIED when it differs."""
    try:
        manifest = verify_manifest(manifest_jws, jwks)
    except VerificationError as e:
        return ContentVerification(Verdict.SIGNATURE_INVALID, content_sha256, None, str(e))
    if manifest.sha256 == content_sha256:
        return ContentVerification(Verdict.AUTHENTIC, content_sha256, manifest,
                                   "the content is the registered asset")
    return ContentVerification(Verdict.MODIFIED, content_sha256, manifest,
                               "content hash differs from the manifest's asset")


def verify_file(path: str | Path, manifest_jws: str, jwks: str | dict[str, Any]) -> ContentVerification:
    """Hashes a file (SHA-256, streamed) and checks it against a manifest, as verify_content."""
    return verify_content(sha256_file(path), manifest_jws, jwks)


def parse_verifier_key(verifier_key: str) -> tuple[str, bytes, bytes]:
    """Splits a C2SP verifier key "<name>+<key id hex>+<base64(0x01 ‖ public key)>" at its first two "+"
    (base64 may contain "+") and checks that the key id is the key's hash. Returns (name, key id, key)."""
    name, key_id_hex, encoded = verifier_key.split("+", 2)
    typed = base64.b64decode(encoded, validate=True)
    if len(typed) != 33 or typed[:1] != _ED25519_NOTE_TYPE:
        raise VerificationError("the verifier key is not an Ed25519 key")
    key_id = bytes.fromhex(key_id_hex)
    if _note_key_hash(name, typed[1:]) != key_id:
        raise VerificationError("the verifier key's id is not the hash of its name and key")
    return name, key_id, typed[1:]


def _note_key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + _ED25519_NOTE_TYPE + public_key).digest()[:4]


def verify_checkpoint(note: str, verifier_key: str, *, origin: str | None = None) -> VerifiedCheckpoint:
    """Verifies a checkpoint's C2SP signed note with a verifier key pinned out of band (do not trust the one
    served next to the note) and parses its body. Raises VerificationError if no signature by that key
    verifies, or the body is not a checkpoint (of `origin`, when given)."""
    name, key_id, public_key = parse_verifier_key(verifier_key)
    separator = note.rfind("\n\n")
    if separator < 0:
        raise VerificationError("a signed note has a blank line between body and signatures")
    body, signature_lines = note[:separator + 1], note[separator + 2:].splitlines()
    verified = False
    for line in signature_lines:
        if not line.startswith(_NOTE_SIGNATURE_PREFIX):
            raise VerificationError(f"malformed signature line {line!r}")
        signer, _, encoded = line[len(_NOTE_SIGNATURE_PREFIX):].rpartition(" ")
        tagged = base64.b64decode(encoded)
        if signer != name or tagged[:4] != key_id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(tagged[4:], body.encode("utf-8"))
            verified = True
        except InvalidSignature as e:
            raise VerificationError("the checkpoint's signature does not verify") from e
    if not verified:
        raise VerificationError(f"the checkpoint carries no signature by {name}")
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise VerificationError("a checkpoint body has origin, size and root lines")
    if origin is not None and lines[0] != origin:
        raise VerificationError(f"checkpoint of {lines[0]!r}, expected {origin!r}")
    timestamps = [int(line.split(" ", 1)[1]) for line in lines[3:] if line.startswith("timestamp ")]
    return VerifiedCheckpoint(origin=lines[0], tree_size=int(lines[1]),
                              root_hash=base64.b64decode(lines[2]).hex(),
                              timestamp_millis=timestamps[0] if timestamps else 0, key_name=name)


def verify_attribution_inclusion(*, attribution_hash: str, leaf_index: int, audit_path: Sequence[str],
                                 checkpoint_note: str, verifier_key: str) -> VerifiedCheckpoint:
    """Proves offline that an attribution (its attribution_hash, the log leaf's data) is in the log at the
    checkpoint: verifies the checkpoint's signature, then the RFC 9162 audit path from SHA-256(0x00 ‖ hash)
    to the checkpoint's root. Raises VerificationError if either fails."""
    checkpoint = verify_checkpoint(checkpoint_note, verifier_key)
    merkle.verify_inclusion(leaf_hash_hex=merkle.leaf_hash(bytes.fromhex(attribution_hash)).hex(),
                            leaf_index=leaf_index, tree_size=checkpoint.tree_size, audit_path=audit_path,
                            root_hash_hex=checkpoint.root_hash)
    return checkpoint
