"""Offline pieces, no suite: RFC 9162 hashing and proofs, EIP-191 signing, error parsing, retries."""
import hashlib
import threading
from concurrent import futures

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

from tribute_client import (AssetSpec, AsyncTributeClient, Endpoints, InvalidArgument, RetryPolicy, TributeClient, Unavailable,
                            VerificationError, Wallet, merkle, pb)
from tribute_client.errors import from_status
from tribute_client.wallet import recover_address, to_checksum_address


# --- RFC 9162, checked against the RFC's recursive definitions -------------------------------------

def mth(leaves):
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return merkle.leaf_hash(leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, complete):
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


LEAVES = [f"leaf {i}".encode() for i in range(40)]


def test_tree_root_matches_the_recursive_definition_for_every_size():
    for n in range(0, 41):
        assert merkle.tree_root([merkle.leaf_hash(d) for d in LEAVES[:n]]) == mth(LEAVES[:n])


def test_every_inclusion_proof_verifies_and_a_wrong_index_does_not():
    for n in range(1, 41):
        root = mth(LEAVES[:n]).hex()
        for m in range(n):
            audit = [h.hex() for h in path(m, LEAVES[:n])]
            merkle.verify_inclusion(leaf_hash_hex=merkle.leaf_hash(LEAVES[m]).hex(), leaf_index=m, tree_size=n,
                                    audit_path=audit, root_hash_hex=root)
            if n > 1:
                with pytest.raises(VerificationError):
                    merkle.verify_inclusion(leaf_hash_hex=merkle.leaf_hash(LEAVES[m]).hex(),
                                            leaf_index=(m + 1) % n, tree_size=n, audit_path=audit,
                                            root_hash_hex=root)


def test_every_consistency_proof_verifies_and_a_wrong_root_does_not():
    for n in range(1, 41):
        for m in range(1, n + 1):
            proof = [h.hex() for h in subproof(m, LEAVES[:n], True)]
            merkle.verify_consistency(first_size=m, second_size=n, first_root_hex=mth(LEAVES[:m]).hex(),
                                      second_root_hex=mth(LEAVES[:n]).hex(), proof=proof)
            if m < n:
                with pytest.raises(VerificationError):
                    merkle.verify_consistency(first_size=m, second_size=n, first_root_hex=mth(LEAVES[:n]).hex(),
                                              second_root_hex=mth(LEAVES[:n]).hex(), proof=proof)


def test_dataset_root_sorts_members_and_refuses_duplicates():
    hashes = [hashlib.sha256(d).hexdigest() for d in LEAVES[:9]]

    assert merkle.dataset_root(reversed(hashes)) == mth([bytes.fromhex(h) for h in sorted(hashes)]).hex()
    with pytest.raises(ValueError):
        merkle.dataset_root(hashes + hashes[:1])


# --- EIP-191 / EIP-55 -------------------------------------------------------------------------------

def test_wallet_address_and_personal_sign_round_trip():
    # Anvil's first development account.
    wallet = Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")

    signature = wallet.personal_sign("Tribute wallet binding\nNonce: 00")

    assert wallet.address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert wallet.account(31337) == "eip155:31337:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert recover_address("Tribute wallet binding\nNonce: 00", signature) == wallet.address
    assert int(signature[-2:], 16) in (27, 28) and len(signature) == 132
    assert to_checksum_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == \
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


# --- errors ------------------------------------------------------------------------------------------

def test_status_details_become_a_typed_error_with_reason_and_violations():
    info, bad = any_pb2.Any(), any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason="INVALID_FIELD", domain="registry.tribute.io",
                                          metadata={"field": "asset.sha256"}))
    bad.Pack(error_details_pb2.BadRequest(field_violations=[
        error_details_pb2.BadRequest.FieldViolation(field="asset.sha256", description="not hex")]))
    details = status_pb2.Status(code=3, message="asset.sha256 is invalid", details=[info, bad])

    error = from_status(grpc.StatusCode.INVALID_ARGUMENT, "", details.SerializeToString())

    assert isinstance(error, InvalidArgument)
    assert (error.reason, error.domain, error.metadata) == ("INVALID_FIELD", "registry.tribute.io",
                                                            {"field": "asset.sha256"})
    assert error.violated_fields == ["asset.sha256"] and "not hex" in str(error)


# --- retries and deadlines, against an in-process gRPC server ----------------------------------------

class FlakyRegistry(pb.registry_grpc.RegistryServiceServicer):
    """Answers UNAVAILABLE `failures` times, then creates the contributor; records every request_id."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.request_ids: list[str] = []
        self.lock = threading.Lock()

    def CreateContributor(self, request, context):
        with self.lock:
            self.request_ids.append(request.request_id)
            if len(self.request_ids) <= self.failures:
                context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")
        return pb.registry.CreateContributorResponse(contributor=pb.registry.Contributor(
            id="01900000-0000-7000-8000-000000000001", display_name=request.contributor.display_name))

    def RegisterAssets(self, request_iterator, context):
        with self.lock:
            self.request_ids.append("stream")
        list(request_iterator)
        context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")


@pytest.fixture
def flaky():
    def start(failures):
        servicer = FlakyRegistry(failures)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        pb.registry_grpc.add_RegistryServiceServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        started.append(server)
        return servicer, Endpoints(registry=f"127.0.0.1:{port}")
    started = []
    yield start
    for server in started:
        server.stop(None)


def test_idempotent_call_is_retried_with_the_same_request_id(flaky):
    servicer, endpoints = flaky(2)
    with TributeClient(endpoints, retry=RetryPolicy(initial_backoff=0.01)) as client:
        contributor = client.create_contributor("Ada", "ada")

    assert contributor.display_name == "Ada"
    assert len(servicer.request_ids) == 3 and len(set(servicer.request_ids)) == 1


def test_retries_stop_at_the_attempt_limit_with_a_typed_error(flaky):
    servicer, endpoints = flaky(100)
    with TributeClient(endpoints, retry=RetryPolicy(max_attempts=3, initial_backoff=0.01)) as client:
        with pytest.raises(Unavailable):
            client.create_contributor("Ada", "ada")

    assert len(servicer.request_ids) == 3


def test_client_streams_are_not_retried(flaky):
    servicer, endpoints = flaky(0)
    with TributeClient(endpoints, retry=RetryPolicy(initial_backoff=0.01)) as client:
        with pytest.raises(Unavailable):
            client.register_assets([AssetSpec(kind="DATA_ITEM", sha256="00" * 32, creators="someone")])

    assert servicer.request_ids == ["stream"]


def test_retries_end_at_the_call_deadline(flaky):
    servicer, endpoints = flaky(100)
    with TributeClient(endpoints, retry=RetryPolicy(max_attempts=100, initial_backoff=0.2, max_backoff=0.2),
                       timeout=0.5) as client:
        with pytest.raises(Unavailable):
            client.create_contributor("Ada", "ada")

    # Every pause is 0.1-0.2 s (half the backoff to all of it): the first ends before the 0.5 s deadline, and at
    # most four fit before it.
    assert 2 <= len(servicer.request_ids) <= 5


async def test_async_client_retries_with_the_same_request_id(flaky):
    servicer, endpoints = flaky(2)
    async with AsyncTributeClient(endpoints, retry=RetryPolicy(initial_backoff=0.01)) as client:
        contributor = await client.create_contributor("Ada", "ada")

    assert contributor.display_name == "Ada"
    assert len(servicer.request_ids) == 3 and len(set(servicer.request_ids)) == 1
