"""Revenue, balances and settlements against the real payout-service."""
import time

import pytest

from tribute_client import FailedPrecondition, InvalidArgument, Parent, Wallet, pb

from conftest import CURRENCY

SETTLED = pb.payout.SETTLEMENT_STATE_SETTLED


@pytest.fixture
def attribution(tribute, people, data_files, tmp_path, unique):
    dataset = tribute.register_dataset(data_files, creators=people["curator"].id,
                                       item_creators=people["author"].id)
    weights = tmp_path / "model.bin"
    weights.write_bytes(b"paid model " + unique.encode())
    model = tribute.register_file(weights, kind="MODEL", creators=people["builder"].id,
                                  parents=[Parent(dataset.dataset.id, "TRAINED_ON")])
    return tribute.attribute_output(model_asset_id=model.id, content=f"sold output {unique}")


def test_revenue_is_split_exactly_by_the_attribution_shares(tribute, attribution):
    amount = 3 * 10**21  # wei: far beyond 64 bits, and divisible so that each part is exact

    recorded = tribute.record_revenue(amount, CURRENCY, attribution_id=attribution.id,
                                      external_ref="invoice-1")

    credits = {e.account.contributor_id: int(e.credit) for e in recorded.journal.entries
               if e.account.type == pb.payout.ACCOUNT_TYPE_CONTRIBUTOR_PAYABLE}
    assert credits == {s.contributor_id: amount * s.share_ppm // 1_000_000 for s in attribution.shares}
    assert sum(int(e.debit) for e in recorded.journal.entries) == amount
    assert recorded.journal.references.attribution_id == attribution.id
    for share in attribution.shares:
        balances = tribute.get_balance(share.contributor_id, currency=CURRENCY)
        assert [(b.accrued, b.paid) for b in balances] == [(str(credits[share.contributor_id]), "0")]


def test_replayed_revenue_is_posted_once(tribute, attribution, unique):
    request_id = f"00000000-0000-4000-8000-{unique}"
    first = tribute.record_revenue(1_000_000, CURRENCY, output_sha256=attribution.output.content_sha256,
                                   request_id=request_id)

    again = tribute.record_revenue(1_000_000, CURRENCY, output_sha256=attribution.output.content_sha256,
                                   request_id=request_id)

    assert again.journal.id == first.journal.id
    top = attribution.shares[0]
    assert tribute.get_balance(top.contributor_id, currency=CURRENCY)[0].accrued == str(top.share_ppm)


def test_zero_revenue_is_rejected_with_the_amount_field(tribute, attribution):
    with pytest.raises(InvalidArgument) as failure:
        tribute.record_revenue(0, CURRENCY, attribution_id=attribution.id)

    assert failure.value.domain == "payout.tribute.io"
    assert any(f.startswith("amount") for f in failure.value.violated_fields)


def test_unsupported_currency_is_a_failed_precondition(tribute, attribution):
    with pytest.raises(FailedPrecondition) as failure:
        tribute.record_revenue(5, "eip155:1/slip44:60", attribution_id=attribution.id)

    assert failure.value.reason == "CURRENCY_NOT_SUPPORTED"


def test_watching_a_settlement_ends_with_its_final_state(tribute):
    # A minimum nobody reaches: the settlement has nothing to pay and is SETTLED at once, chain or not.
    settlement = tribute.create_settlement(CURRENCY, minimum_amount=2**255)

    events = list(tribute.watch_settlement(settlement.id, timeout=30))

    assert events[0].event.type == pb.payout.SETTLEMENT_EVENT_TYPE_SNAPSHOT
    assert events[-1].settlement.state == SETTLED
    assert events[-1].settlement.id == settlement.id
    assert tribute.get_settlement(settlement.id).batch_count == 0


def create_settlement_when_free(tribute, minimum_amount: int, wait: float = 120):
    """Another settlement of the currency may still be confirming: wait for it rather than fail."""
    give_up = time.monotonic() + wait
    while True:
        try:
            return tribute.create_settlement(CURRENCY, minimum_amount=minimum_amount)
        except FailedPrecondition as e:
            if e.reason != "SETTLEMENT_IN_PROGRESS" or time.monotonic() > give_up:
                raise
            time.sleep(1)


def test_revenue_of_a_bound_wallet_is_paid_on_chain_and_watched_until_settled(chain, tribute, tmp_path, unique):
    payee = tribute.create_contributor("Payee", f"payee-{unique}")
    wallet = Wallet.generate()
    tribute.bind_wallet(payee.id, wallet, chain_id=31337)
    weights = tmp_path / "solo-model.bin"
    weights.write_bytes(b"solo " + unique.encode())
    model = tribute.register_file(weights, kind="MODEL", creators=payee.id)
    attribution = tribute.attribute_output(model_asset_id=model.id, content=f"paid output {unique}")
    amount = 10**15 + int(unique[:6], 16)
    tribute.record_revenue(amount, CURRENCY, attribution_id=attribution.id)

    settlement = create_settlement_when_free(tribute, minimum_amount=amount)
    events = list(tribute.watch_settlement(settlement.id, timeout=180))

    assert events[0].event.type == pb.payout.SETTLEMENT_EVENT_TYPE_SNAPSHOT
    assert events[-1].settlement.state == SETTLED
    paid = tribute.get_settlement(settlement.id, include_recipients=True)
    recipients = {r.contributor_id: r for batch in paid.batches for r in batch.recipients}
    assert recipients[payee.id].amount == str(amount)
    assert recipients[payee.id].payout_account == wallet.account(31337)
    assert all(batch.tx_hash.startswith("0x") and batch.state == pb.payout.BATCH_STATE_SETTLED
               for batch in paid.batches)
    balance = tribute.get_balance(payee.id, currency=CURRENCY)[0]
    assert (balance.accrued, balance.in_settlement, balance.paid) == ("0", "0", str(amount))
