"""The asyncio Tribute client (grpc.aio): the same calls as TributeClient, awaitable."""
from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Iterable, Mapping, Sequence

import grpc

from . import _requests as rq
from . import pb, verify
from ._policy import DEFAULT_TIMEOUT_SECONDS, DEFAULT_WATCH_TIMEOUT_SECONDS, RetryPolicy
from .client import CHANNEL_OPTIONS, Endpoints, _item_specs
from .errors import OutOfRange, from_rpc_error
from .merkle import dataset_root
from .results import AttributionOutcome, BulkResult, DatasetRegistration
from .wallet import Wallet


class AsyncTributeClient:
    """asyncio client with TributeClient's deadlines, retries and typed errors. Use `async with`, or
    `await close()`. Create it inside the running event loop."""

    def __init__(self, endpoints: Endpoints | None = None, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 retry: RetryPolicy | None = None, credentials: grpc.ChannelCredentials | None = None,
                 metadata: Sequence[tuple[str, str]] = ()) -> None:
        self.endpoints = endpoints or Endpoints()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._metadata = tuple(metadata)

        def channel(target):
            if credentials is None:
                return grpc.aio.insecure_channel(target, options=CHANNEL_OPTIONS)
            return grpc.aio.secure_channel(target, credentials, options=CHANNEL_OPTIONS)

        self._channels = [channel(t) for t in (self.endpoints.registry, self.endpoints.attribution,
                                               self.endpoints.payout)]
        self.registry = pb.registry_grpc.RegistryServiceStub(self._channels[0])
        self.attribution = pb.attribution_grpc.AttributionServiceStub(self._channels[1])
        self.payout = pb.payout_grpc.PayoutServiceStub(self._channels[2])

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()

    async def __aenter__(self) -> "AsyncTributeClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _call(self, method, request, *, timeout: float | None = None, idempotent: bool = True):
        deadline = time.monotonic() + (timeout or self.timeout)
        attempts = 0
        while True:
            attempts += 1
            try:
                return await method(request, timeout=max(deadline - time.monotonic(), 0.001),
                                    metadata=self._metadata)
            except grpc.RpcError as e:
                error = from_rpc_error(e)
                cause = e
            if not idempotent or not self.retry.should_retry(error, attempts):
                raise error from cause
            pause = self.retry.pause(attempts)
            if time.monotonic() + pause >= deadline:
                raise error from cause
            await asyncio.sleep(pause)

    # --- contributors and wallets -------------------------------------------------------------------

    async def create_contributor(self, display_name: str, external_ref: str, *, request_id: str | None = None,
                                 timeout: float | None = None):
        request = pb.registry.CreateContributorRequest(
            request_id=request_id or rq.new_request_id(),
            contributor=pb.registry.Contributor(display_name=display_name, external_ref=external_ref))
        return (await self._call(self.registry.CreateContributor, request, timeout=timeout)).contributor

    async def get_contributor(self, contributor_id: str | None = None, *, external_ref: str | None = None,
                              timeout: float | None = None):
        request = pb.registry.GetContributorRequest(contributor_id=contributor_id) if contributor_id \
            else pb.registry.GetContributorRequest(external_ref=external_ref or "")
        return (await self._call(self.registry.GetContributor, request, timeout=timeout)).contributor

    async def create_wallet_challenge(self, contributor_id: str, account: str, *, request_id: str | None = None,
                                      timeout: float | None = None):
        request = pb.registry.CreateWalletChallengeRequest(request_id=request_id or rq.new_request_id(),
                                                           contributor_id=contributor_id, account=account)
        return (await self._call(self.registry.CreateWalletChallenge, request, timeout=timeout)).challenge

    async def bind_wallet(self, contributor_id: str, wallet: Wallet, *, chain_id: int = 1,
                          old_wallet: Wallet | None = None, timeout: float | None = None):
        """See TributeClient.bind_wallet."""
        challenge = await self.create_wallet_challenge(contributor_id, wallet.account(chain_id), timeout=timeout)
        request = pb.registry.BindWalletRequest(request_id=rq.new_request_id(), contributor_id=contributor_id,
                                                challenge_id=challenge.id,
                                                signature=wallet.personal_sign(challenge.message))
        if old_wallet is not None:
            request.old_wallet_signature = old_wallet.personal_sign(challenge.message)
        return (await self._call(self.registry.BindWallet, request, timeout=timeout)).contributor

    # --- assets -------------------------------------------------------------------------------------

    async def register_asset(self, spec: rq.AssetSpec, *, timeout: float | None = None):
        return await self._call(self.registry.RegisterAsset, spec.request(), timeout=timeout)

    async def register_file(self, path: str | Path, *, kind, creators: rq.Creators,
                            timeout: float | None = None, **fields):
        spec = await asyncio.to_thread(rq.file_spec, path, kind=kind, creators=creators, **fields)
        return (await self.register_asset(spec, timeout=timeout)).asset

    async def register_assets(self, specs: Iterable[rq.AssetSpec], *, timeout: float | None = None) -> BulkResult:
        result = BulkResult()
        specs = list(specs)
        offset = 0
        for batch in rq.streams_of(specs):
            response = await self._call(self.registry.RegisterAssets, rq.register_assets_messages(batch),
                                        timeout=timeout, idempotent=False)
            result.extend(response, offset)
            offset += len(batch)
        return result

    async def register_dataset(self, files: Iterable[str | Path], *, creators: rq.Creators,
                               item_creators: rq.Creators | None = None, item_kind="DATA_ITEM",
                               timeout: float | None = None, **fields) -> DatasetRegistration:
        """See TributeClient.register_dataset."""
        specs = await asyncio.to_thread(_item_specs, list(files),
                                        item_creators if item_creators is not None else creators, item_kind)
        members = sorted({s.sha256 for s in specs.values()})
        dataset = rq.AssetSpec(kind="DATASET", sha256=dataset_root(members), creators=creators,
                               dataset_members=members, **fields)
        items = list({s.sha256: s for s in specs.values()}.values())
        result = await self.register_assets([*items, dataset], timeout=timeout)
        outcome = result.items[-1]
        if outcome.error is not None:
            raise outcome.error
        by_hash = {items[i.index].sha256: i for i in result.items[:-1]}
        return DatasetRegistration(dataset=await self.get_asset(outcome.asset_id, timeout=timeout),
                                   items={str(p): by_hash[s.sha256] for p, s in specs.items()})

    async def get_asset(self, asset_id: str, *, timeout: float | None = None):
        return (await self._call(self.registry.GetAsset, pb.registry.GetAssetRequest(asset_id=asset_id),
                                 timeout=timeout)).asset

    async def lookup_asset(self, sha256: str, *, timeout: float | None = None):
        return (await self._call(self.registry.LookupAsset, pb.registry.LookupAssetRequest(sha256=sha256),
                                 timeout=timeout)).asset

    async def iter_assets(self, *, kind=None, creator_id: str = "", page_size: int = 0,
                          timeout: float | None = None) -> AsyncIterator:
        request = pb.registry.ListAssetsRequest(page_size=page_size, creator_id=creator_id,
                                                kind=rq.kind(kind) if kind is not None else 0)
        while True:
            page = await self._call(self.registry.ListAssets, request, timeout=timeout)
            for asset in page.assets:
                yield asset
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token

    # --- manifests and verification -----------------------------------------------------------------

    async def get_manifest(self, asset_id: str, *, timeout: float | None = None):
        return await self._call(self.registry.GetManifest, pb.registry.GetManifestRequest(asset_id=asset_id),
                                timeout=timeout)

    async def signing_keys(self, *, timeout: float | None = None) -> dict[str, Any]:
        keys, request = [], pb.registry.ListSigningKeysRequest()
        while True:
            page = await self._call(self.registry.ListSigningKeys, request, timeout=timeout)
            keys += json.loads(page.jwks_json)["keys"]
            if not page.next_page_token:
                return {"keys": keys}
            request.page_token = page.next_page_token

    async def verify_file(self, path: str | Path, *, asset_id: str | None = None,
                          manifest_jws: str | None = None, jwks: str | Mapping[str, Any] | None = None,
                          timeout: float | None = None) -> verify.ContentVerification:
        if manifest_jws is None:
            manifest_jws = (await self.get_manifest(asset_id, timeout=timeout)).manifest_jws
        keys = jwks if jwks is not None else await self.signing_keys(timeout=timeout)
        return await asyncio.to_thread(verify.verify_file, path, manifest_jws, keys)

    # --- attribution --------------------------------------------------------------------------------

    async def attribute_output(self, *, model_asset_id: str, content: bytes | str | None = None,
                               content_sha256: str | None = None, prompt_asset_id: str = "",
                               review_asset_ids: Sequence[str] = (), platform_ref: str = "",
                               produced_at: datetime | None = None,
                               influence: Mapping[str, rq.Score] | None = None, method: str = "",
                               method_version: str = "", policy_id: str = "", policy_version: int = 0,
                               request_id: str | None = None, timeout: float | None = None):
        request = rq.attribute_output_request(
            model_asset_id=model_asset_id, content=content, content_sha256=content_sha256,
            prompt_asset_id=prompt_asset_id, review_asset_ids=review_asset_ids, platform_ref=platform_ref,
            produced_at=produced_at, influence=influence, method=method, method_version=method_version,
            policy_id=policy_id, policy_version=policy_version, request_id=request_id)
        return (await self._call(self.attribution.AttributeOutput, request, timeout=timeout)).attribution

    async def attribute_outputs(self, outputs: Iterable[Mapping[str, Any]], *,
                                timeout: float | None = None) -> AsyncIterator[AttributionOutcome]:
        """See TributeClient.attribute_outputs."""
        messages = [pb.attribution.AttributeOutputsRequest(item=rq.output_request(**o)) for o in outputs]
        stream = self.attribution.AttributeOutputs(iter(messages), timeout=timeout or self.timeout,
                                                   metadata=self._metadata)
        try:
            async for response in stream:
                yield AttributionOutcome.of(response)
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e

    async def get_attribution(self, attribution_id: str | None = None, *, output_sha256: str | None = None,
                              include_evidence: bool = False, timeout: float | None = None):
        request = pb.attribution.GetAttributionRequest(include_evidence=include_evidence)
        if attribution_id:
            request.attribution_id = attribution_id
        else:
            request.output_sha256 = output_sha256 or ""
        return (await self._call(self.attribution.GetAttribution, request, timeout=timeout)).attribution

    async def summarize_attributions(self, *, attribution_ids: Sequence[str] | None = None,
                                     output_hashes: Sequence[str] | None = None,
                                     platform_ref: str | None = None,
                                     produced_between: tuple[datetime | None, datetime | None] | None = None,
                                     group_by="CONTRIBUTOR", roles: Sequence = (), top_k: int = 0,
                                     timeout: float | None = None):
        request = rq.summarize_request(attribution_ids=attribution_ids, output_hashes=output_hashes,
                                       platform_ref=platform_ref, produced_between=produced_between,
                                       group_by=group_by, roles=roles, top_k=top_k)
        return await self._call(self.attribution.SummarizeAttributions, request, timeout=timeout)

    async def get_checkpoint(self, *, timeout: float | None = None):
        return (await self._call(self.attribution.GetCheckpoint, pb.attribution.GetCheckpointRequest(),
                                 timeout=timeout)).checkpoint

    async def get_inclusion_proof(self, attribution_id: str, *, tree_size: int = 0,
                                  timeout: float | None = None):
        return await self._call(self.attribution.GetInclusionProof, pb.attribution.GetInclusionProofRequest(
            attribution_id=attribution_id, tree_size=tree_size), timeout=timeout)

    async def prove_inclusion(self, attribution_id: str, verifier_key: str, *, wait: float = 10.0,
                              timeout: float | None = None) -> verify.VerifiedCheckpoint:
        """See TributeClient.prove_inclusion."""
        give_up = time.monotonic() + wait
        while True:
            try:
                response = await self.get_inclusion_proof(attribution_id, timeout=timeout)
                break
            except OutOfRange:
                if time.monotonic() > give_up:
                    raise
                await asyncio.sleep(0.25)
                await self.get_checkpoint(timeout=timeout)
        return verify.verify_attribution_inclusion(
            attribution_hash=response.attribution_hash, leaf_index=response.proof.leaf_index,
            audit_path=list(response.proof.audit_path), checkpoint_note=response.checkpoint.note,
            verifier_key=verifier_key)

    async def get_consistency_proof(self, first_tree_size: int, second_tree_size: int = 0, *,
                              timeout: float | None = None):
        """An RFC 9162 consistency proof between two tree sizes; check it with merkle.verify_consistency."""
        return await self._call(self.attribution.GetConsistencyProof, pb.attribution.GetConsistencyProofRequest(
            first_tree_size=first_tree_size, second_tree_size=second_tree_size), timeout=timeout)

    # --- payouts ------------------------------------------------------------------------------------

    async def record_revenue(self, amount: int | str, currency: str, *, attribution_id: str | None = None,
                             output_sha256: str | None = None, external_ref: str = "",
                             earned_at: datetime | None = None, request_id: str | None = None,
                             timeout: float | None = None):
        request = rq.record_revenue_request(amount=amount, currency=currency, attribution_id=attribution_id,
                                            output_sha256=output_sha256, external_ref=external_ref,
                                            earned_at=earned_at, request_id=request_id)
        return await self._call(self.payout.RecordRevenue, request, timeout=timeout)

    async def get_balance(self, contributor_id: str, *, currency: str = "", timeout: float | None = None):
        return list((await self._call(self.payout.GetBalance, pb.payout.GetBalanceRequest(
            contributor_id=contributor_id, currency=currency), timeout=timeout)).balances)

    async def create_settlement(self, currency: str, *, minimum_amount: int | str = 0,
                                max_recipients_per_batch: int = 0, request_id: str | None = None,
                                timeout: float | None = None):
        request = pb.payout.CreateSettlementRequest(request_id=request_id or rq.new_request_id(),
                                                    currency=currency, minimum_amount=str(minimum_amount),
                                                    max_recipients_per_batch=max_recipients_per_batch)
        return (await self._call(self.payout.CreateSettlement, request, timeout=timeout)).settlement

    async def get_settlement(self, settlement_id: str, *, include_recipients: bool = False,
                             timeout: float | None = None):
        return (await self._call(self.payout.GetSettlement, pb.payout.GetSettlementRequest(
            settlement_id=settlement_id, include_recipients=include_recipients), timeout=timeout)).settlement

    async def watch_settlement(self, settlement_id: str, *,
                               timeout: float = DEFAULT_WATCH_TIMEOUT_SECONDS) -> AsyncIterator:
        """See TributeClient.watch_settlement."""
        stream = self.payout.WatchSettlement(pb.payout.WatchSettlementRequest(settlement_id=settlement_id),
                                             timeout=timeout, metadata=self._metadata)
        try:
            async for message in stream:
                yield message
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e
        finally:
            stream.cancel()
