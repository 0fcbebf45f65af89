"""Request builders shared by the sync and asyncio clients: every request_id is generated here, once per
logical call, so that retries of that call replay it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence, Union

from google.protobuf import timestamp_pb2

from . import pb
from .hashing import sha256_bytes

PPM = 1_000_000
MAX_MEMBERS_PER_MESSAGE = 50_000
MAX_ENTRIES_PER_STREAM = 10_000

Creators = Union[str, Mapping[str, int], Sequence["pb.common.CreatorShare"]]
"""A single contributor id (100 %), {contributor_id: ppm}, or CreatorShare messages."""

Score = Union[int, float, str, Decimal]


def new_request_id() -> str:
    return str(uuid.uuid4())


def enum_value(enum_type, prefix: str, value) -> int:
    """Accepts an enum number, its full name ("ASSET_KIND_MODEL") or its short name ("MODEL", "model")."""
    if isinstance(value, int):
        return value
    name = str(value).upper()
    return enum_type.Value(name if name.startswith(prefix) else prefix + name)


def kind(value) -> int:
    return enum_value(pb.common.AssetKind, "ASSET_KIND_", value)


def edge(value) -> int:
    return enum_value(pb.common.EdgeType, "EDGE_TYPE_", value)


def role(value) -> int:
    return enum_value(pb.common.Role, "ROLE_", value)


def creator_shares(creators: Creators) -> list:
    if isinstance(creators, str):
        return [pb.common.CreatorShare(contributor_id=creators, share_ppm=PPM)]
    if isinstance(creators, Mapping):
        return [pb.common.CreatorShare(contributor_id=c, share_ppm=ppm) for c, ppm in creators.items()]
    return list(creators)


def split_evenly(contributor_ids: Sequence[str]) -> dict[str, int]:
    """Equal ppm shares summing to exactly 1,000,000 (the first ones get the leftover ppm)."""
    base, extra = divmod(PPM, len(contributor_ids))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(contributor_ids)}


@dataclass(frozen=True)
class Parent:
    """A lineage link to an earlier asset, e.g. Parent(dataset_id, "TRAINED_ON")."""

    asset_id: str
    edge: Union[str, int]
    weight_ppm: int = 0

    def to_proto(self):
        return pb.registry.AssetParent(parent_asset_id=self.asset_id, edge_type=edge(self.edge),
                                       weight_ppm=self.weight_ppm)


def parents(values: Iterable[Union[Parent, tuple]]) -> list:
    return [(p if isinstance(p, Parent) else Parent(*p)).to_proto() for p in values]


@dataclass
class AssetSpec:
    """One asset to register (RegisterAsset / one entry of a RegisterAssets stream)."""

    kind: Union[str, int]
    sha256: str
    creators: Creators
    parents: Sequence[Union[Parent, tuple]] = ()
    size_bytes: int = 0
    media_type: str = ""
    uri: str = ""
    license: str = ""
    display_name: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    dataset_members: Sequence[str] = ()
    request_id: str = field(default_factory=new_request_id)

    def asset(self):
        return pb.registry.Asset(kind=kind(self.kind), sha256=self.sha256, size_bytes=self.size_bytes,
                                 media_type=self.media_type, uri=self.uri, license=self.license,
                                 display_name=self.display_name, creators=creator_shares(self.creators),
                                 parents=parents(self.parents), attributes=dict(self.attributes))

    def request(self, members: Sequence[str] | None = None):
        return pb.registry.RegisterAssetRequest(
            request_id=self.request_id, asset=self.asset(),
            dataset_member_sha256=list(self.dataset_members if members is None else members))


def register_assets_messages(specs: Sequence[AssetSpec]) -> Iterator:
    """The RegisterAssets stream for specs: each entry, its first ≤ 50,000 dataset members inline, the rest
    in dataset_members messages of ≤ 50,000."""
    for spec in specs:
        members = list(spec.dataset_members)
        yield pb.registry.RegisterAssetsRequest(asset=spec.request(members[:MAX_MEMBERS_PER_MESSAGE]))
        for start in range(MAX_MEMBERS_PER_MESSAGE, len(members), MAX_MEMBERS_PER_MESSAGE):
            chunk = members[start:start + MAX_MEMBERS_PER_MESSAGE]
            yield pb.registry.RegisterAssetsRequest(
                dataset_members=pb.registry.RegisterAssetsRequest.DatasetMembers(sha256=chunk))


def streams_of(specs: Sequence[AssetSpec]) -> Iterator[Sequence[AssetSpec]]:
    for start in range(0, len(specs), MAX_ENTRIES_PER_STREAM):
        yield specs[start:start + MAX_ENTRIES_PER_STREAM]


def timestamp(value: datetime | None):
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return stamp


def time_range(start: datetime | None, end: datetime | None):
    return pb.common.TimeRange(start_time=timestamp(start), end_time=timestamp(end))


def score_text(score: Score) -> str:
    """Influence scores travel as exact decimal strings; repr() of a finite float is exact enough."""
    if isinstance(score, float):
        return repr(score)
    return str(score)


def content_hash(content: bytes | str | None, content_sha256: str | None) -> str:
    if content_sha256:
        return content_sha256
    if content is None:
        raise ValueError("give the output's content or its content_sha256")
    return sha256_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def attribute_output_request(*, model_asset_id: str, content: bytes | str | None, content_sha256: str | None,
                             prompt_asset_id: str, review_asset_ids: Sequence[str], platform_ref: str,
                             produced_at: datetime | None, influence: Mapping[str, Score] | None,
                             method: str, method_version: str, policy_id: str, policy_version: int,
                             request_id: str | None):
    output = pb.attribution.Output(content_sha256=content_hash(content, content_sha256),
                                   model_asset_id=model_asset_id, prompt_asset_id=prompt_asset_id,
                                   review_asset_ids=list(review_asset_ids), platform_ref=platform_ref,
                                   produced_at=timestamp(produced_at))
    evidence = None
    if influence is not None:
        evidence = pb.attribution.Evidence(
            method=method, method_version=method_version,
            scores=[pb.attribution.InfluenceScore(asset_id=a, score=score_text(s)) for a, s in influence.items()])
    return pb.attribution.AttributeOutputRequest(request_id=request_id or new_request_id(), output=output,
                                                 evidence=evidence, policy_id=policy_id,
                                                 policy_version=policy_version)


def output_request(*, model_asset_id: str, content: bytes | str | None = None, content_sha256: str | None = None,
                   prompt_asset_id: str = "", review_asset_ids: Sequence[str] = (), platform_ref: str = "",
                   produced_at: datetime | None = None, influence: Mapping[str, Score] | None = None,
                   method: str = "", method_version: str = "", policy_id: str = "", policy_version: int = 0,
                   request_id: str | None = None):
    """AttributeOutputRequest from attribute_output's keyword arguments (defaults included)."""
    return attribute_output_request(
        model_asset_id=model_asset_id, content=content, content_sha256=content_sha256,
        prompt_asset_id=prompt_asset_id, review_asset_ids=review_asset_ids, platform_ref=platform_ref,
        produced_at=produced_at, influence=influence, method=method, method_version=method_version,
        policy_id=policy_id, policy_version=policy_version, request_id=request_id)


def summarize_request(*, attribution_ids, output_hashes, platform_ref, produced_between, group_by, roles,
                      top_k):
    request = pb.attribution.SummarizeAttributionsRequest(
        group_by=enum_value(pb.attribution.SummaryGrouping, "SUMMARY_GROUPING_", group_by),
        roles=[role(r) for r in roles], top_k=top_k)
    if attribution_ids is not None:
        request.attribution_ids.ids.extend(attribution_ids)
    elif output_hashes is not None:
        request.output_hashes.sha256.extend(output_hashes)
    elif platform_ref is not None:
        request.platform_ref = platform_ref
    elif produced_between is not None:
        request.produced_time_range.CopyFrom(time_range(*produced_between))
    return request


def record_revenue_request(*, amount, currency, attribution_id, output_sha256, external_ref, earned_at,
                           request_id):
    request = pb.payout.RecordRevenueRequest(request_id=request_id or new_request_id(),
                                             amount=pb.common.Money(asset=currency, amount=str(amount)),
                                             external_ref=external_ref, earned_at=timestamp(earned_at))
    if attribution_id:
        request.attribution_id = attribution_id
    elif output_sha256:
        request.output_sha256 = output_sha256
    return request


def file_spec(path: str | Path, *, kind, creators: Creators, parents=(), media_type: str | None = None,
              uri: str = "", license: str = "", display_name: str | None = None,
              attributes: Mapping[str, str] | None = None, request_id: str | None = None) -> AssetSpec:
    import mimetypes

    from .hashing import sha256_file

    path = Path(path)
    guessed = mimetypes.guess_type(path.name)[0] or ""
    return AssetSpec(kind=kind, sha256=sha256_file(path), creators=creators, parents=parents,
                     size_bytes=path.stat().st_size, media_type=guessed if media_type is None else media_type,
                     uri=uri, license=license, display_name=path.name if display_name is None else display_name,
                     attributes=dict(attributes or {}), request_id=request_id or new_request_id())
