"""Contributors, wallets, assets and datasets against the real registry-service."""
import uuid

import pytest

from tribute_client import (AlreadyExists, AssetSpec, FailedPrecondition, InvalidArgument, NotFound, Parent,
                            Wallet, merkle, pb, sha256_file)
from tribute_client.wallet import recover_address


def test_created_contributor_can_be_read_back_by_external_ref(tribute, unique):
    created = tribute.create_contributor("Ada", f"ada-{unique}")

    found = tribute.get_contributor(external_ref=f"ada-{unique}")

    assert found.id == created.id and found.display_name == "Ada" and found.payout_account == ""


def test_replayed_request_id_returns_the_first_contributor(tribute, unique):
    first = tribute.create_contributor("Replay", f"replay-{unique}", request_id=f"00000000-0000-4000-8000-{unique}")

    again = tribute.create_contributor("Replay", f"replay-{unique}", request_id=f"00000000-0000-4000-8000-{unique}")

    assert again.id == first.id


def test_empty_contributor_is_rejected_with_a_violation_per_field(tribute):
    with pytest.raises(InvalidArgument) as failure:
        tribute.create_contributor("", "")

    assert failure.value.reason == "INVALID_FIELD"
    assert failure.value.domain == "registry.tribute.io"
    assert set(failure.value.violated_fields) == {"contributor.display_name", "contributor.external_ref"}


def test_taken_external_ref_names_the_existing_contributor(tribute, unique):
    existing = tribute.create_contributor("First", f"taken-{unique}")

    with pytest.raises(AlreadyExists) as failure:
        tribute.create_contributor("Second", f"taken-{unique}")

    assert failure.value.reason == "EXTERNAL_REF_EXISTS"
    assert failure.value.metadata["contributor_id"] == existing.id


def test_unknown_contributor_is_not_found(tribute):
    with pytest.raises(NotFound) as failure:
        tribute.get_contributor("01900000-0000-7000-8000-000000000000")
    assert failure.value.reason == "CONTRIBUTOR_NOT_FOUND"


def test_wallet_signature_binds_the_payout_account(tribute, people):
    wallet = Wallet.generate()

    contributor = tribute.bind_wallet(people["author"].id, wallet, chain_id=31337)

    assert contributor.payout_account == f"eip155:31337:{wallet.address}"
    assert contributor.wallet_bindings[-1].account == contributor.payout_account
    assert contributor.wallet_bindings[-1].method == pb.registry.WALLET_BINDING_METHOD_NEW_WALLET_SIGNATURE


def test_rebinding_needs_the_old_wallet_and_succeeds_with_it(tribute, people):
    old, new = Wallet.generate(), Wallet.generate()
    tribute.bind_wallet(people["author"].id, old, chain_id=31337)

    with pytest.raises(FailedPrecondition) as refused:
        tribute.bind_wallet(people["author"].id, new, chain_id=31337)
    rebound = tribute.bind_wallet(people["author"].id, new, chain_id=31337, old_wallet=old)

    assert refused.value.reason == "REBIND_AUTHORIZATION_REQUIRED"
    assert rebound.payout_account == f"eip155:31337:{new.address}"
    assert [b.account for b in rebound.wallet_bindings] == [old.account(31337), new.account(31337)]


def test_signature_of_another_key_is_a_typed_mismatch(tribute, people):
    wallet, impostor = Wallet.generate(), Wallet.generate()
    challenge = tribute.create_wallet_challenge(people["builder"].id, wallet.account(31337))
    request = pb.registry.BindWalletRequest(request_id=str(uuid.uuid4()),
                                            contributor_id=people["builder"].id, challenge_id=challenge.id,
                                            signature=impostor.personal_sign(challenge.message))

    with pytest.raises(InvalidArgument) as failure:
        tribute._call(tribute.registry.BindWallet, request)

    assert recover_address(challenge.message, request.signature) == impostor.address
    assert failure.value.reason == "WALLET_SIGNATURE_MISMATCH"
    assert failure.value.metadata["field"] == "signature"


def test_file_is_registered_under_its_sha256(tribute, people, tmp_path, unique):
    weights = tmp_path / "weights.safetensors"
    weights.write_bytes(b"weights " + unique.encode() * 100)

    asset = tribute.register_file(weights, kind="MODEL", creators=people["builder"].id, license="MIT",
                                  attributes={"training.epochs": "3"})

    assert asset.sha256 == sha256_file(weights)
    assert asset.size_bytes == weights.stat().st_size
    assert tribute.lookup_asset(asset.sha256).id == asset.id
    assert dict(asset.attributes) == {"training.epochs": "3"}


def test_dataset_from_files_has_the_merkle_root_the_registry_computes(tribute, people, data_files):
    registration = tribute.register_dataset(data_files, creators=people["curator"].id,
                                            item_creators=people["author"].id, display_name="shards")

    hashes = [sha256_file(f) for f in data_files]
    assert registration.dataset.sha256 == merkle.dataset_root(hashes)
    assert registration.dataset.item_count == len(data_files)
    assert all(item.ok and item.created for item in registration.items.values())
    for item_hash in hashes:
        proof = tribute.get_membership_proof(registration.dataset.id, item_hash).proof
        assert proof.leaf_hash == merkle.leaf_hash(bytes.fromhex(item_hash)).hex()
        merkle.verify_inclusion(leaf_hash_hex=proof.leaf_hash, leaf_index=proof.leaf_index,
                                tree_size=proof.tree_size, audit_path=list(proof.audit_path),
                                root_hash_hex=registration.dataset.sha256)


def test_bulk_registration_reports_a_failed_entry_and_keeps_the_others(tribute, people, unique):
    good = [AssetSpec(kind="DATA_ITEM", sha256=merkle.leaf_hash(f"{unique}-{i}".encode()).hex(),
                      creators=people["author"].id) for i in range(3)]
    bad = AssetSpec(kind="DATA_ITEM", sha256="not-a-hash", creators=people["author"].id)

    result = tribute.register_assets([good[0], bad, good[1], good[2]])

    assert [i.ok for i in result.items] == [True, False, True, True]
    assert isinstance(result.failed[0].error, InvalidArgument)
    assert result.failed[0].error.reason == "INVALID_FIELD"
    assert [tribute.lookup_asset(s.sha256).id for s in good] == [result.items[i].asset_id for i in (0, 2, 3)]
    with pytest.raises(InvalidArgument):
        result.raise_for_errors()


def test_bulk_entry_error_names_the_invalid_field(tribute, people):
    result = tribute.register_assets([AssetSpec(kind="DATA_ITEM", sha256="not-a-hash", creators=people["author"].id)])

    assert result.items[0].error.violated_fields == ["asset.sha256"]


def test_model_with_unknown_parent_is_a_failed_precondition(tribute, people, unique):
    spec = AssetSpec(kind="MODEL", sha256=merkle.leaf_hash(unique.encode()).hex(), creators=people["builder"].id,
                     parents=[Parent("01900000-0000-7000-8000-000000000000", "TRAINED_ON")])

    with pytest.raises(FailedPrecondition) as failure:
        tribute.register_asset(spec)

    assert failure.value.reason == "ASSET_NOT_FOUND"


def test_creator_shares_must_sum_to_a_million(tribute, people, unique):
    spec = AssetSpec(kind="PROMPT", sha256=merkle.leaf_hash(unique.encode()).hex(),
                     creators={people["builder"].id: 500_000, people["author"].id: 499_999})

    with pytest.raises(InvalidArgument) as failure:
        tribute.register_asset(spec)

    assert any(f.startswith("asset.creators") for f in failure.value.violated_fields)
