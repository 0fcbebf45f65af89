"""The asyncio client on the real suite: the same flows, awaited."""
import asyncio

import pytest

from tribute_client import AsyncTributeClient, InvalidArgument, Parent, Verdict, Wallet, pb

from conftest import CURRENCY


async def test_async_client_runs_the_main_flow_end_to_end(suite, tmp_path, unique, data_files):
    async with AsyncTributeClient(suite, timeout=20) as tribute:
        builder, author = await asyncio.gather(tribute.create_contributor("Builder", f"ab-{unique}"),
                                               tribute.create_contributor("Author", f"aa-{unique}"))
        bound = await tribute.bind_wallet(author.id, Wallet.generate(), chain_id=31337)
        dataset = await tribute.register_dataset(data_files, creators=author.id)
        weights = tmp_path / "async-model.bin"
        weights.write_bytes(b"async " + unique.encode())
        model = await tribute.register_file(weights, kind="MODEL", creators=builder.id,
                                            parents=[Parent(dataset.dataset.id, "TRAINED_ON")])
        attribution = await tribute.attribute_output(model_asset_id=model.id, content=f"async {unique}")
        verification = await tribute.verify_file(weights, asset_id=model.id)
        checkpoint = await tribute.prove_inclusion(attribution.id, (await tribute.get_checkpoint()).verifier_key)
        listed = [a.id async for a in tribute.iter_assets(kind="MODEL", creator_id=builder.id, page_size=1)]

    assert bound.payout_account.startswith("eip155:31337:0x")
    assert {s.contributor_id: s.share_ppm for s in attribution.shares}.keys() == {builder.id, author.id}
    assert verification.verdict is Verdict.AUTHENTIC
    assert checkpoint.tree_size > attribution.log_index
    assert listed == [model.id]


async def test_async_revenue_is_credited_to_every_share(suite, tmp_path, unique):
    async with AsyncTributeClient(suite, timeout=20) as tribute:
        builder = await tribute.create_contributor("Builder", f"arb-{unique}")
        weights = tmp_path / "async-paid-model.bin"
        weights.write_bytes(b"async paid " + unique.encode())
        model = await tribute.register_file(weights, kind="MODEL", creators=builder.id)
        attribution = await tribute.attribute_output(model_asset_id=model.id, content=f"async paid {unique}")
        revenue = await tribute.record_revenue(1_000_000, CURRENCY, attribution_id=attribution.id)
        balances = await tribute.get_balance(builder.id, currency=CURRENCY)

    assert sum(int(e.credit) for e in revenue.journal.entries
               if e.account.type == pb.payout.ACCOUNT_TYPE_CONTRIBUTOR_PAYABLE) == 1_000_000
    assert [b.accrued for b in balances] == ["1000000"]


async def test_async_errors_are_typed_with_field_violations(suite):
    async with AsyncTributeClient(suite) as tribute:
        with pytest.raises(InvalidArgument) as failure:
            await tribute.create_contributor("", "x")

    assert failure.value.violated_fields == ["contributor.display_name"]


async def test_async_settlement_watch_ends_settled(suite):
    async with AsyncTributeClient(suite) as tribute:
        settlement = await tribute.create_settlement(CURRENCY, minimum_amount=2**255)
        states = [m.settlement.state async for m in tribute.watch_settlement(settlement.id, timeout=30)]

    assert states[-1] == pb.payout.SETTLEMENT_STATE_SETTLED


async def test_async_bulk_attribution_streams_one_outcome_per_output(suite, tmp_path, unique):
    async with AsyncTributeClient(suite) as tribute:
        builder = await tribute.create_contributor("Builder", f"abulk-{unique}")
        weights = tmp_path / "bulk-model.bin"
        weights.write_bytes(b"bulk " + unique.encode())
        model = await tribute.register_file(weights, kind="MODEL", creators=builder.id)
        outcomes = [o async for o in tribute.attribute_outputs(
            [dict(model_asset_id=model.id, content=f"abulk {i} {unique}") for i in range(4)])]

    assert [o.index for o in outcomes] == [0, 1, 2, 3]
    assert all(o.attribution.shares[0].contributor_id == builder.id for o in outcomes)
