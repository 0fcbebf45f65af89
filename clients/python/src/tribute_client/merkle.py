"""RFC 9162 Merkle hashing and proof verification (leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ l ‖ r))."""
from __future__ import annotations

import hashlib
from typing import Iterable, Sequence

from .errors import VerificationError


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The RFC 9162 Merkle tree hash over leaf hashes, in their order (SHA-256("") for none).

    Pairing level by level and promoting a lone last node gives the same tree as the RFC's recursive split
    at the largest power of two below n, in O(n) time without recursion.
    """
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def dataset_root(member_sha256: Iterable[str]) -> str:
    """A DATASET's sha256: the Merkle root over its members' sha256 (hex) sorted ascending, as the registry
    computes it. Raises ValueError on a duplicate or malformed member hash."""
    members = sorted(member_sha256)
    for previous, current in zip(members, members[1:]):
        if previous == current:
            raise ValueError(f"dataset member {current} appears twice")
    return tree_root([leaf_hash(_hash_bytes(m)) for m in members]).hex()


def verify_inclusion(*, leaf_hash_hex: str, leaf_index: int, tree_size: int, audit_path: Sequence[str],
                     root_hash_hex: str) -> None:
    """RFC 9162 section 2.1.3.2: checks that the leaf is at leaf_index of the tree of tree_size leaves whose
    root is root_hash_hex. Raises VerificationError if not."""
    if leaf_index >= tree_size:
        raise VerificationError(f"leaf index {leaf_index} is not below tree size {tree_size}")
    fn, sn = leaf_index, tree_size - 1
    r = _hash_bytes(leaf_hash_hex)
    for p in (_hash_bytes(h) for h in audit_path):
        if sn == 0:
            raise VerificationError("the audit path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the audit path is shorter than the tree is deep")
    if r != _hash_bytes(root_hash_hex):
        raise VerificationError("the audit path does not lead to the root hash")


def verify_consistency(*, first_size: int, second_size: int, first_root_hex: str, second_root_hex: str,
                       proof: Sequence[str]) -> None:
    """RFC 9162 section 2.1.4.2: checks that the tree of first_size leaves is a prefix of the tree of
    second_size leaves. Raises VerificationError if not."""
    first_root, second_root = _hash_bytes(first_root_hex), _hash_bytes(second_root_hex)
    if first_size == 0 or first_size > second_size:
        raise VerificationError(f"no consistency proof from size {first_size} to {second_size}")
    if first_size == second_size:
        if proof or first_root != second_root:
            raise VerificationError("equal sizes need an empty proof and equal roots")
        return
    path = [_hash_bytes(h) for h in proof]
    if first_size & (first_size - 1) == 0:
        path.insert(0, first_root)
    if not path:
        raise VerificationError("the consistency proof is empty")
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != first_root or sr != second_root:
        raise VerificationError("the consistency proof does not match the roots")


def _hash_bytes(hex_digest: str) -> bytes:
    if len(hex_digest) != 64:
        raise VerificationError(f"not a 64-digit hex hash: {hex_digest!r}")
    try:
        return bytes.fromhex(hex_digest)
    except ValueError as e:
        raise VerificationError(f"not a 64-digit hex hash: {hex_digest!r}") from e
