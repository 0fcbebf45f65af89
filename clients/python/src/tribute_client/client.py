"""The synchronous Tribute client: one object for the registry, attribution and payout services."""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import grpc

from . import _requests as rq
from . import pb, verify
from ._policy import DEFAULT_TIMEOUT_SECONDS, DEFAULT_WATCH_TIMEOUT_SECONDS, RetryPolicy
from .errors import OutOfRange, from_rpc_error
from .merkle import dataset_root
from .results import AttributionOutcome, BulkResult, DatasetRegistration
from .wallet import Wallet

CHANNEL_OPTIONS = [("grpc.max_receive_message_length", 32 * 1024 * 1024),
                   ("grpc.max_send_message_length", 16 * 1024 * 1024)]


class Endpoints:
    """Where the three services answer (host:port); the defaults are those of `./suite run`."""

    def __init__(self, registry: str = "localhost:8081", attribution: str = "localhost:8082",
                 payout: str = "localhost:8083") -> None:
        self.registry, self.attribution, self.payout = registry, attribution, payout


class TributeClient:
    """Synchronous client. Every call has a deadline (`timeout`, overridable per call); reads and writes
    (whose request_id this client generates once per call) are retried with backoff on UNAVAILABLE;
    client streams are not retried. Failures raise TributeError subclasses carrying the ErrorInfo reason
    and BadRequest field violations. Use as a context manager, or call close()."""

    def __init__(self, endpoints: Endpoints | None = None, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 retry: RetryPolicy | None = None, credentials: grpc.ChannelCredentials | None = None,
                 metadata: Sequence[tuple[str, str]] = ()) -> None:
        self.endpoints = endpoints or Endpoints()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._metadata = tuple(metadata)
        self._channels = [self._channel(target, credentials) for target in
                          (self.endpoints.registry, self.endpoints.attribution, self.endpoints.payout)]
        self.registry = pb.registry_grpc.RegistryServiceStub(self._channels[0])
        self.attribution = pb.attribution_grpc.AttributionServiceStub(self._channels[1])
        self.payout = pb.payout_grpc.PayoutServiceStub(self._channels[2])

    @staticmethod
    def _channel(target: str, credentials):
        if credentials is None:
            return grpc.insecure_channel(target, options=CHANNEL_OPTIONS)
        return grpc.secure_channel(target, credentials, options=CHANNEL_OPTIONS)

    def close(self) -> None:
        for channel in self._channels:
            channel.close()

    def __enter__(self) -> "TributeClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the call machinery -------------------------------------------------------------------------

    def _call(self, method, request, *, timeout: float | None = None, idempotent: bool = True):
        deadline = time.monotonic() + (timeout or self.timeout)
        attempts = 0
        while True:
            attempts += 1
            try:
                return method(request, timeout=max(deadline - time.monotonic(), 0.001), metadata=self._metadata)
            except grpc.RpcError as e:
                error = from_rpc_error(e)
                cause = e
            if not idempotent or not self.retry.should_retry(error, attempts):
                raise error from cause
            pause = self.retry.pause(attempts)
            if time.monotonic() + pause >= deadline:
                raise error from cause
            time.sleep(pause)

    # --- contributors and wallets -------------------------------------------------------------------

    def create_contributor(self, display_name: str, external_ref: str, *, request_id: str | None = None,
                           timeout: float | None = None):
        """Creates a contributor (a person or organisation that can be credited and paid)."""
        request = pb.registry.CreateContributorRequest(
            request_id=request_id or rq.new_request_id(),
            contributor=pb.registry.Contributor(display_name=display_name, external_ref=external_ref))
        return self._call(self.registry.CreateContributor, request, timeout=timeout).contributor

    def get_contributor(self, contributor_id: str | None = None, *, external_ref: str | None = None,
                        timeout: float | None = None):
        request = pb.registry.GetContributorRequest(contributor_id=contributor_id) if contributor_id \
            else pb.registry.GetContributorRequest(external_ref=external_ref or "")
        return self._call(self.registry.GetContributor, request, timeout=timeout).contributor

    def create_wallet_challenge(self, contributor_id: str, account: str, *, request_id: str | None = None,
                                timeout: float | None = None):
        request = pb.registry.CreateWalletChallengeRequest(request_id=request_id or rq.new_request_id(),
                                                           contributor_id=contributor_id, account=account)
        return self._call(self.registry.CreateWalletChallenge, request, timeout=timeout).challenge

    def bind_wallet(self, contributor_id: str, wallet: Wallet, *, chain_id: int = 1,
                    old_wallet: Wallet | None = None, timeout: float | None = None):
        """Proves control of `wallet` and binds it as the contributor's payout account: asks for a challenge,
        signs it with EIP-191 personal_sign (and with the old wallet when replacing one), binds it.
        Returns the contributor with its new payout_account."""
        challenge = self.create_wallet_challenge(contributor_id, wallet.account(chain_id), timeout=timeout)
        request = pb.registry.BindWalletRequest(request_id=rq.new_request_id(), contributor_id=contributor_id,
                                                challenge_id=challenge.id,
                                                signature=wallet.personal_sign(challenge.message))
        if old_wallet is not None:
            request.old_wallet_signature = old_wallet.personal_sign(challenge.message)
        return self._call(self.registry.BindWallet, request, timeout=timeout).contributor

    # --- assets -------------------------------------------------------------------------------------

    def register_asset(self, spec: rq.AssetSpec, *, timeout: float | None = None):
        """Registers one asset; returns RegisterAssetResponse (asset, created)."""
        return self._call(self.registry.RegisterAsset, spec.request(), timeout=timeout)

    def register_file(self, path: str | Path, *, kind, creators: rq.Creators, timeout: float | None = None,
                      **fields):
        """Registers a file as an asset of `kind` (its SHA-256 and size computed here); returns the Asset.
        Other keyword arguments: parents, media_type, uri, license, display_name, attributes, request_id."""
        return self.register_asset(rq.file_spec(path, kind=kind, creators=creators, **fields),
                                   timeout=timeout).asset

    def register_assets(self, specs: Iterable[rq.AssetSpec], *, timeout: float | None = None) -> BulkResult:
        """Registers many assets over RegisterAssets client streams (≤ 10,000 entries per stream, dataset
        members in chunks of 50,000). A failed entry does not stop the others: see BulkResult."""
        result = BulkResult()
        specs = list(specs)
        offset = 0
        for batch in rq.streams_of(specs):
            response = self._call(self.registry.RegisterAssets, rq.register_assets_messages(batch),
                                  timeout=timeout, idempotent=False)
            result.extend(response, offset)
            offset += len(batch)
        return result

    def register_dataset(self, files: Iterable[str | Path], *, creators: rq.Creators,
                         item_creators: rq.Creators | None = None, item_kind="DATA_ITEM",
                         timeout: float | None = None, **fields) -> DatasetRegistration:
        """Registers each file as a DATA_ITEM (creators: item_creators, default the dataset's creators) and
        the dataset itself (creators: its curators), whose sha256 is the RFC 9162 Merkle root over the
        sorted item hashes, all in bulk streams. An item that already exists (even with other creators) is
        still a member. Other keyword arguments describe the dataset (display_name, license, uri, …)."""
        specs = _item_specs(files, item_creators if item_creators is not None else creators, item_kind)
        members = sorted({s.sha256 for s in specs.values()})
        dataset = rq.AssetSpec(kind="DATASET", sha256=dataset_root(members), creators=creators,
                               dataset_members=members, **fields)
        items = list({s.sha256: s for s in specs.values()}.values())
        result = self.register_assets([*items, dataset], timeout=timeout)
        outcome = result.items[-1]
        if outcome.error is not None:
            raise outcome.error
        by_hash = {items[i.index].sha256: i for i in result.items[:-1]}
        return DatasetRegistration(dataset=self.get_asset(outcome.asset_id, timeout=timeout),
                                   items={str(p): by_hash[s.sha256] for p, s in specs.items()})

    def get_asset(self, asset_id: str, *, timeout: float | None = None):
        return self._call(self.registry.GetAsset, pb.registry.GetAssetRequest(asset_id=asset_id),
                          timeout=timeout).asset

    def lookup_asset(self, sha256: str, *, timeout: float | None = None):
        return self._call(self.registry.LookupAsset, pb.registry.LookupAssetRequest(sha256=sha256),
                          timeout=timeout).asset

    def iter_assets(self, *, kind=None, creator_id: str = "", page_size: int = 0,
                    timeout: float | None = None) -> Iterator:
        """Every asset (optionally of a kind / by a creator), page after page."""
        request = pb.registry.ListAssetsRequest(page_size=page_size, creator_id=creator_id,
                                                kind=rq.kind(kind) if kind is not None else 0)
        while True:
            page = self._call(self.registry.ListAssets, request, timeout=timeout)
            yield from page.assets
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token

    def get_lineage(self, asset_id: str, *, descendants: bool = False, max_depth: int = 0,
                    timeout: float | None = None):
        direction = pb.registry.LINEAGE_DIRECTION_DESCENDANTS if descendants \
            else pb.registry.LINEAGE_DIRECTION_ANCESTORS
        return self._call(self.registry.GetLineage, pb.registry.GetLineageRequest(
            asset_id=asset_id, direction=direction, max_depth=max_depth), timeout=timeout)

    def get_membership_proof(self, dataset_asset_id: str, item_sha256: str, *, timeout: float | None = None):
        return self._call(self.registry.GetMembershipProof, pb.registry.GetMembershipProofRequest(
            dataset_asset_id=dataset_asset_id, item_sha256=item_sha256), timeout=timeout)

    # --- manifests and verification -----------------------------------------------------------------

    def get_manifest(self, asset_id: str, *, timeout: float | None = None):
        return self._call(self.registry.GetManifest, pb.registry.GetManifestRequest(asset_id=asset_id),
                          timeout=timeout)

    def signing_keys(self, *, timeout: float | None = None) -> dict[str, Any]:
        """The registry's manifest signing keys (active and retired) as one JWKS, all pages merged."""
        import json

        keys, request = [], pb.registry.ListSigningKeysRequest()
        while True:
            page = self._call(self.registry.ListSigningKeys, request, timeout=timeout)
            keys += json.loads(page.jwks_json)["keys"]
            if not page.next_page_token:
                return {"keys": keys}
            request.page_token = page.next_page_token

    def verify_file(self, path: str | Path, *, asset_id: str | None = None, manifest_jws: str | None = None,
                    jwks: str | Mapping[str, Any] | None = None,
                    timeout: float | None = None) -> verify.ContentVerification:
        """Checks a file against a manifest locally (JWS EdDSA + SHA-256). The manifest is fetched by
        asset_id when not given; the JWKS is fetched when not given (pin it for a fully offline check)."""
        if manifest_jws is None:
            manifest_jws = self.get_manifest(asset_id, timeout=timeout).manifest_jws
        return verify.verify_file(path, manifest_jws, jwks if jwks is not None else self.signing_keys())

    def verify_content_remotely(self, *, content: bytes = b"", sha256: str = "", manifest_jws: str = "",
                                timeout: float | None = None):
        """The registry's own check (VerifyContent): verdict, asset and detail."""
        return self._call(self.registry.VerifyContent, pb.registry.VerifyContentRequest(
            content=content, sha256=sha256, manifest_jws=manifest_jws), timeout=timeout)

    # --- attribution --------------------------------------------------------------------------------

    def attribute_output(self, *, model_asset_id: str, content: bytes | str | None = None,
                         content_sha256: str | None = None, prompt_asset_id: str = "",
                         review_asset_ids: Sequence[str] = (), platform_ref: str = "",
                         produced_at: datetime | None = None, influence: Mapping[str, rq.Score] | None = None,
                         method: str = "", method_version: str = "", policy_id: str = "",
                         policy_version: int = 0, request_id: str | None = None, timeout: float | None = None):
        """Records an output (by its content or content hash) and attributes it; `influence` maps scored
        DATA_ITEM/DATASET asset ids to scores (method and method_version name the influence method).
        Returns the Attribution with its shares and explanations."""
        request = rq.attribute_output_request(
            model_asset_id=model_asset_id, content=content, content_sha256=content_sha256,
            prompt_asset_id=prompt_asset_id, review_asset_ids=review_asset_ids, platform_ref=platform_ref,
            produced_at=produced_at, influence=influence, method=method, method_version=method_version,
            policy_id=policy_id, policy_version=policy_version, request_id=request_id)
        return self._call(self.attribution.AttributeOutput, request, timeout=timeout).attribution

    def attribute_outputs(self, outputs: Iterable[Mapping[str, Any]], *,
                          timeout: float | None = None) -> Iterator[AttributionOutcome]:
        """Attributes many outputs over one AttributeOutputs stream; each element of `outputs` holds
        attribute_output's keyword arguments. Yields one AttributionOutcome per output, in order, as the
        service answers; a failed output carries its typed error and does not stop the others. `timeout`
        bounds the whole stream. Not retried: resend failed items (their request_ids make that safe)."""
        messages = (pb.attribution.AttributeOutputsRequest(item=rq.output_request(**o)) for o in outputs)
        stream = self.attribution.AttributeOutputs(messages, timeout=timeout or self.timeout,
                                                   metadata=self._metadata)
        try:
            for response in stream:
                yield AttributionOutcome.of(response)
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e
        finally:
            stream.cancel()

    def get_attribution(self, attribution_id: str | None = None, *, output_sha256: str | None = None,
                        include_evidence: bool = False, timeout: float | None = None):
        request = pb.attribution.GetAttributionRequest(include_evidence=include_evidence)
        if attribution_id:
            request.attribution_id = attribution_id
        else:
            request.output_sha256 = output_sha256 or ""
        return self._call(self.attribution.GetAttribution, request, timeout=timeout).attribution

    def summarize_attributions(self, *, attribution_ids: Sequence[str] | None = None,
                               output_hashes: Sequence[str] | None = None, platform_ref: str | None = None,
                               produced_between: tuple[datetime | None, datetime | None] | None = None,
                               group_by="CONTRIBUTOR", roles: Sequence = (), top_k: int = 0,
                               timeout: float | None = None):
        """Totals over a set of outputs (one selector), grouped by "CONTRIBUTOR", "ASSET" or "ROLE"."""
        request = rq.summarize_request(attribution_ids=attribution_ids, output_hashes=output_hashes,
                                       platform_ref=platform_ref, produced_between=produced_between,
                                       group_by=group_by, roles=roles, top_k=top_k)
        return self._call(self.attribution.SummarizeAttributions, request, timeout=timeout)

    def get_checkpoint(self, *, timeout: float | None = None):
        return self._call(self.attribution.GetCheckpoint, pb.attribution.GetCheckpointRequest(),
                          timeout=timeout).checkpoint

    def get_inclusion_proof(self, attribution_id: str, *, tree_size: int = 0, timeout: float | None = None):
        return self._call(self.attribution.GetInclusionProof, pb.attribution.GetInclusionProofRequest(
            attribution_id=attribution_id, tree_size=tree_size), timeout=timeout)

    def prove_inclusion(self, attribution_id: str, verifier_key: str, *, wait: float = 10.0,
                        timeout: float | None = None) -> verify.VerifiedCheckpoint:
        """Fetches the attribution's inclusion proof against the latest checkpoint (waiting up to `wait`
        seconds for a checkpoint that covers it) and verifies both offline with the pinned verifier_key.
        Raises VerificationError if the log does not prove it."""
        give_up = time.monotonic() + wait
        while True:
            try:
                response = self.get_inclusion_proof(attribution_id, timeout=timeout)
                break
            except OutOfRange:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.25)
                self.get_checkpoint(timeout=timeout)
        return verify.verify_attribution_inclusion(
            attribution_hash=response.attribution_hash, leaf_index=response.proof.leaf_index,
            audit_path=list(response.proof.audit_path), checkpoint_note=response.checkpoint.note,
            verifier_key=verifier_key)

    def get_consistency_proof(self, first_tree_size: int, second_tree_size: int = 0, *,
                              timeout: float | None = None):
        """An RFC 9162 consistency proof between two tree sizes; check it with merkle.verify_consistency."""
        return self._call(self.attribution.GetConsistencyProof, pb.attribution.GetConsistencyProofRequest(
            first_tree_size=first_tree_size, second_tree_size=second_tree_size), timeout=timeout)

    # --- payouts ------------------------------------------------------------------------------------

    def record_revenue(self, amount: int | str, currency: str, *, attribution_id: str | None = None,
                       output_sha256: str | None = None, external_ref: str = "",
                       earned_at: datetime | None = None, request_id: str | None = None,
                       timeout: float | None = None):
        """Records revenue (an integer amount of base units, never a float) earned by an attributed output;
        returns RecordRevenueResponse (the posted journal and the fee)."""
        request = rq.record_revenue_request(amount=amount, currency=currency, attribution_id=attribution_id,
                                            output_sha256=output_sha256, external_ref=external_ref,
                                            earned_at=earned_at, request_id=request_id)
        return self._call(self.payout.RecordRevenue, request, timeout=timeout)

    def get_balance(self, contributor_id: str, *, currency: str = "", timeout: float | None = None):
        return list(self._call(self.payout.GetBalance, pb.payout.GetBalanceRequest(
            contributor_id=contributor_id, currency=currency), timeout=timeout).balances)

    def create_settlement(self, currency: str, *, minimum_amount: int | str = 0,
                          max_recipients_per_batch: int = 0, request_id: str | None = None,
                          timeout: float | None = None):
        request = pb.payout.CreateSettlementRequest(request_id=request_id or rq.new_request_id(),
                                                    currency=currency, minimum_amount=str(minimum_amount),
                                                    max_recipients_per_batch=max_recipients_per_batch)
        return self._call(self.payout.CreateSettlement, request, timeout=timeout).settlement

    def get_settlement(self, settlement_id: str, *, include_recipients: bool = False,
                       timeout: float | None = None):
        return self._call(self.payout.GetSettlement, pb.payout.GetSettlementRequest(
            settlement_id=settlement_id, include_recipients=include_recipients), timeout=timeout).settlement

    def watch_settlement(self, settlement_id: str, *,
                         timeout: float = DEFAULT_WATCH_TIMEOUT_SECONDS) -> Iterator:
        """Yields the settlement's events (WatchSettlementResponse: event + settlement), first a SNAPSHOT,
        until it is SETTLED or FAILED or `timeout` seconds pass (DeadlineExceeded)."""
        stream = self.payout.WatchSettlement(pb.payout.WatchSettlementRequest(settlement_id=settlement_id),
                                             timeout=timeout, metadata=self._metadata)
        try:
            yield from stream
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e
        finally:
            stream.cancel()


def _item_specs(files: Iterable[str | Path], creators: rq.Creators, kind) -> dict[Path, rq.AssetSpec]:
    return {Path(f): rq.file_spec(f, kind=kind, creators=creators) for f in files}
