"""Framework-agnostic training-loop integration: records a run's datasets and checkpoint lineage (base
model, architecture, hyper-parameters, finetunes and parameter adjustments) in Tribute as training goes."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from . import _requests as rq
from .client import TributeClient
from .errors import AlreadyExists
from .hashing import sha256_bytes


class TrainingRun:
    """Context manager for one training run. Register the data before training (add_dataset), describe
    hyper-parameter or RLHF changes (adjust), and call checkpoint() (or the callable from callback())
    whenever the loop saves weights. Each checkpoint becomes a MODEL asset with typed parents:
    TRAINED_ON every dataset of the run, FINETUNED_FROM the base model, USES_ARCHITECTURE the architecture,
    ADJUSTED_WITH the hyper-parameters and every adjustment so far, DERIVED_FROM the previous checkpoint.
    Attribute outputs to `run.latest.id`.

        with TrainingRun(tribute, name="sft-7b", creators=me, base_model=base.id) as run:
            run.add_dataset(sorted(Path("data").glob("*.jsonl")))
            for epoch in range(3):
                train_one_epoch()
                run.checkpoint(save("ckpt.safetensors"), step=epoch, metrics={"loss": loss})
    """

    def __init__(self, client: TributeClient, *, name: str, creators: rq.Creators,
                 base_model: str | None = None, architecture: str | None = None,
                 hyperparameters: Mapping[str, Any] | None = None, license: str = "") -> None:
        self.client = client
        self.name = name
        self.creators = creators
        self.base_model = base_model
        self.architecture = architecture
        self.license = license
        self.datasets: list[rq.Parent] = []
        self.adjustments: list[str] = []
        self.checkpoints: list = []
        self.items: dict[str, Any] = {}
        self._hyperparameters = dict(hyperparameters or {})

    def __enter__(self) -> "TrainingRun":
        if self._hyperparameters:
            self.adjust("hyperparameters", self._hyperparameters)
        return self

    def __exit__(self, *exc) -> None:
        return None

    @property
    def latest(self):
        """The newest checkpoint's MODEL asset (None before the first checkpoint)."""
        return self.checkpoints[-1] if self.checkpoints else None

    def add_dataset(self, data: str | Iterable[str | Path], *, creators: rq.Creators | None = None,
                    item_creators: rq.Creators | None = None, weight_ppm: int = 0, **fields):
        """Adds training data: an already registered DATASET or DATA_ITEM asset id, or files registered
        here as a dataset (curated by `creators`, default the run's; each file's DATA_ITEM outcome lands in
        `items`, by path, e.g. to name items in influence scores). weight_ppm is the declared weight (all 0 =
        equal, else they must sum to 1,000,000). Returns the dataset's asset id."""
        if isinstance(data, str):
            asset_id = data
        else:
            fields.setdefault("display_name", f"{self.name} training data")
            registration = self.client.register_dataset(
                data, creators=creators or self.creators, item_creators=item_creators, **fields)
            asset_id = registration.dataset.id
            self.items.update(registration.items)
        self.datasets.append(rq.Parent(asset_id, "TRAINED_ON", weight_ppm))
        return asset_id

    def adjust(self, name: str, changes: Mapping[str, Any], *, creators: rq.Creators | None = None) -> str:
        """Records a PARAMETER_ADJUSTMENT (a hyper-parameter change set, an RLHF or LoRA delta description)
        whose content is the canonical JSON of `changes`; later checkpoints are ADJUSTED_WITH it."""
        content = json.dumps({"run": self.name, "adjustment": name, "changes": changes}, sort_keys=True,
                             separators=(",", ":"), default=str).encode("utf-8")
        spec = rq.AssetSpec(kind="PARAMETER_ADJUSTMENT", sha256=sha256_bytes(content),
                            creators=creators or self.creators, size_bytes=len(content),
                            media_type="application/json", display_name=f"{self.name}: {name}",
                            license=self.license)
        asset_id = self._register(spec)
        self.adjustments.append(asset_id)
        return asset_id

    def checkpoint(self, path: str | Path, *, step: int | None = None,
                   metrics: Mapping[str, float] | None = None, **fields):
        """Registers a saved checkpoint file as a MODEL with the run's lineage; returns the Asset."""
        parents = [*self.datasets]
        if self.base_model:
            parents.append(rq.Parent(self.base_model, "FINETUNED_FROM"))
        if self.architecture:
            parents.append(rq.Parent(self.architecture, "USES_ARCHITECTURE"))
        parents += [rq.Parent(a, "ADJUSTED_WITH") for a in dict.fromkeys(self.adjustments)]
        if self.latest is not None:
            parents.append(rq.Parent(self.latest.id, "DERIVED_FROM"))
        attributes = {"training.run": self.name}
        if step is not None:
            attributes["training.step"] = str(step)
        for key, value in (metrics or {}).items():
            attributes[f"metrics.{key.lower()}"] = repr(value)
        fields.setdefault("display_name", f"{self.name} step {step}" if step is not None else self.name)
        fields.setdefault("license", self.license)
        spec = rq.file_spec(path, kind="MODEL", creators=self.creators, parents=parents,
                            attributes=attributes, **fields)
        asset = self.client.get_asset(self._register(spec))
        if self.latest is None or asset.id != self.latest.id:
            self.checkpoints.append(asset)
        return asset

    def callback(self) -> Callable[..., Any]:
        """A callable for frameworks' checkpoint hooks: callback(path, step=…, **metrics) -> Asset."""
        def on_checkpoint(path: str | Path, step: int | None = None, **metrics: float):
            return self.checkpoint(path, step=step, metrics=metrics)
        return on_checkpoint

    def _register(self, spec: rq.AssetSpec) -> str:
        try:
            return self.client.register_asset(spec).asset.id
        except AlreadyExists as e:
            # The same content registered earlier by other people is the same asset: reuse it.
            if e.reason == "ASSET_EXISTS_WITH_OTHER_CREATORS" and e.metadata.get("asset_id"):
                return e.metadata["asset_id"]
            raise
