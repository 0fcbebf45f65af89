"""A PyTorch-style training loop that records its lineage in Tribute, with no ML framework needed.

The "model" is a linear regression trained by SGD in pure Python; the loop looks like a PyTorch one
(dataset shards, epochs, an optimizer step, a state_dict saved per epoch). Tribute learns:
  * the training data: every shard file as a DATA_ITEM, the set as a DATASET (Merkle root over the items),
  * the base model it finetunes, the hyper-parameters and a mid-run learning-rate change (PARAMETER_ADJUSTMENT),
  * every saved checkpoint as a MODEL (TRAINED_ON, FINETUNED_FROM, ADJUSTED_WITH, DERIVED_FROM),
then it attributes one prediction to the last checkpoint with per-shard influence scores (a TracIn-like
gradient dot product) and prints who gets credit.

Run it with the suite up (`./suite run`):  python examples/train_loop.py [--registry host:port ...]
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import uuid
from pathlib import Path

from tribute_client import Endpoints, TrainingRun, TributeClient, explain


def make_shards(directory: Path, count: int, rows: int, seed: str) -> list[Path]:
    rng = random.Random(seed)
    shards = []
    for i in range(count):
        path = directory / f"shard-{i:03d}.jsonl"
        with path.open("w") as f:
            for _ in range(rows):
                x = rng.uniform(-1, 1)
                f.write(json.dumps({"x": x, "y": 3.0 * x + 0.5 + rng.gauss(0, 0.05)}) + "\n")
        shards.append(path)
    return shards


def load(path: Path) -> list[tuple[float, float]]:
    return [(row["x"], row["y"]) for row in map(json.loads, path.read_text().splitlines())]


class Linear:
    """y = w·x + b, with a state_dict like a torch.nn.Module."""

    def __init__(self, seed: str = "") -> None:
        rng = random.Random(seed)
        self.w, self.b = rng.gauss(0, 0.1), rng.gauss(0, 0.1)

    def __call__(self, x: float) -> float:
        return self.w * x + self.b

    def gradient(self, x: float, y: float) -> tuple[float, float]:
        error = self(x) - y
        return 2 * error * x, 2 * error

    def state_dict(self) -> dict[str, float]:
        return {"w": self.w, "b": self.b}


def save(model: Linear, path: Path) -> Path:
    path.write_text(json.dumps(model.state_dict(), sort_keys=True))
    return path


def influence(model: Linear, shards: dict[str, list[tuple[float, float]]], x: float, y: float) -> dict[str, float]:
    """TracIn-style: the dot product of each shard's mean loss gradient with the test point's gradient."""
    test = model.gradient(x, y)
    scores = {}
    for name, rows in shards.items():
        gw = sum(model.gradient(a, b)[0] for a, b in rows) / len(rows)
        gb = sum(model.gradient(a, b)[1] for a, b in rows) / len(rows)
        scores[name] = gw * test[0] + gb * test[1]
    return scores


def main(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", default="localhost:8081")
    parser.add_argument("--attribution", default="localhost:8082")
    parser.add_argument("--payout", default="localhost:8083")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tribute-example-"))
    run_id = uuid.uuid4().hex[:8]

    with TributeClient(Endpoints(args.registry, args.attribution, args.payout)) as tribute:
        me = tribute.create_contributor("ML engineer", f"ml-engineer-{run_id}")
        annotators = tribute.create_contributor("Annotation team", f"annotators-{run_id}")
        base_weights = save(Linear(seed=run_id), workdir / f"base-{run_id}.json")
        base = tribute.register_file(base_weights, kind="MODEL", creators=me.id, display_name="base model")

        shard_paths = make_shards(workdir, count=4, rows=50, seed=run_id)
        shards = {str(p): load(p) for p in shard_paths}
        model, lr = Linear(seed=run_id), 0.1

        with TrainingRun(tribute, name=f"linreg-{run_id}", creators=me.id, base_model=base.id,
                         hyperparameters={"lr": lr, "epochs": args.epochs, "optimizer": "sgd"}) as run:
            dataset_id = run.add_dataset(shard_paths, item_creators=annotators.id)
            on_checkpoint = run.callback()
            for epoch in range(args.epochs):
                if epoch == args.epochs - 1:
                    lr /= 10
                    run.adjust("lr-decay", {"lr": lr, "from_epoch": epoch})
                loss = 0.0
                for rows in shards.values():
                    for x, y in rows:
                        gw, gb = model.gradient(x, y)
                        model.w -= lr * gw / len(rows)
                        model.b -= lr * gb / len(rows)
                        loss += (model(x) - y) ** 2
                on_checkpoint(save(model, workdir / f"ckpt-{run_id}-{epoch}.json"), step=epoch, loss=loss)

        x = 0.3
        prediction = model(x)
        scores = {run.items[name].asset_id: score for name, score in influence(model, shards, x, 3 * x + 0.5).items()}
        attribution = tribute.attribute_output(model_asset_id=run.latest.id,
                                               content=json.dumps({"x": x, "y": prediction}),
                                               influence=scores, method="TracIn-toy", method_version="1",
                                               platform_ref=f"example-{run_id}")
        print(explain(attribution))
        return run, attribution, dataset_id, base


if __name__ == "__main__":
    main()
