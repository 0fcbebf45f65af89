"""Results the wrapper computes itself (bulk registration, datasets, explanations)."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import pb
from .errors import TributeError, from_item_error


@dataclass(frozen=True)
class BulkItem:
    """The outcome of one entry of a RegisterAssets stream: the asset, or the typed error of that entry."""

    index: int
    request_id: str
    asset_id: str = ""
    sha256: str = ""
    created: bool = False
    error: TributeError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BulkResult:
    """All entries' outcomes, in the order the entries were given."""

    items: list[BulkItem] = field(default_factory=list)

    @property
    def failed(self) -> list[BulkItem]:
        return [i for i in self.items if i.error is not None]

    def raise_for_errors(self) -> "BulkResult":
        """Raises the first entry's error, if any entry failed."""
        if self.failed:
            raise self.failed[0].error
        return self

    def extend(self, response, offset: int) -> None:
        for result in response.results:
            if result.HasField("error"):
                self.items.append(BulkItem(offset + result.index, result.request_id,
                                           error=from_item_error(result.error)))
            else:
                r = result.registered
                self.items.append(BulkItem(offset + result.index, result.request_id, r.asset_id, r.sha256,
                                           r.created))


@dataclass(frozen=True)
class AttributionOutcome:
    """The outcome of one output of an AttributeOutputs stream: the attribution, or that item's typed error."""

    index: int
    request_id: str
    attribution: "pb.attribution.Attribution | None" = None
    error: TributeError | None = None

    @classmethod
    def of(cls, response) -> "AttributionOutcome":
        if response.HasField("error"):
            return cls(response.index, response.request_id, error=from_item_error(response.error))
        return cls(response.index, response.request_id, attribution=response.attribution)


@dataclass(frozen=True)
class DatasetRegistration:
    """A dataset registered from files: the dataset asset and the outcome of each item, by file."""

    dataset: "pb.registry.Asset"
    items: dict[str, BulkItem]


def explain(attribution) -> str:
    """A readable account of an attribution: each contributor's share and the lineage paths behind it."""
    lines = [f"attribution {attribution.id} of output {attribution.output.content_sha256} "
             f"(policy {attribution.policy_id} v{attribution.policy_version}, log index {attribution.log_index})"]
    for share in attribution.shares:
        lines.append(f"  {share.contributor_id}: {share.share_ppm / 10_000:.4f} %")
        for path in share.explanations:
            role = pb.common.Role.Name(path.role).removeprefix("ROLE_")
            via = " (via the dataset's items)" if path.via_dataset_items else ""
            lines.append(f"    {path.contribution_ppt / 1e10:.4f} % {role}: {' -> '.join(path.asset_path)}{via}")
        if share.omitted_path_count:
            lines.append(f"    … {share.omitted_path_count} more paths, {share.omitted_contribution_ppt / 1e10:.4f} %")
    return "\n".join(lines)
