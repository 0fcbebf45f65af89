"""The training-loop integration and its runnable example, against the real registry and attribution."""
import sys
from pathlib import Path

from tribute_client import TrainingRun, pb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import train_loop  # noqa: E402

EDGE = pb.common.EdgeType.Name


def test_example_loop_records_checkpoint_lineage_and_attributes_a_prediction(suite, tribute, tmp_path):
    run, attribution, dataset_id, base = train_loop.main(["--epochs", "3", "--workdir", str(tmp_path)])

    assert len(run.checkpoints) == 3
    last, previous = run.checkpoints[-1], run.checkpoints[-2]
    edges = {(EDGE(p.edge_type), p.parent_asset_id) for p in tribute.get_asset(last.id).parents}
    assert ("EDGE_TYPE_TRAINED_ON", dataset_id) in edges
    assert ("EDGE_TYPE_FINETUNED_FROM", base.id) in edges
    assert ("EDGE_TYPE_DERIVED_FROM", previous.id) in edges
    adjustments = {parent for edge, parent in edges if edge == "EDGE_TYPE_ADJUSTED_WITH"}
    assert adjustments == set(run.adjustments) and len(adjustments) == 2
    assert dict(last.attributes)["training.step"] == "2" and "metrics.loss" in last.attributes
    assert attribution.output.model_asset_id == last.id
    assert sum(s.share_ppm for s in attribution.shares) == 1_000_000
    assert any(p.role == pb.common.ROLE_TRAINING_DATA for s in attribution.shares for p in s.explanations)


def test_rerun_with_the_same_checkpoint_file_reuses_the_asset(tribute, people, tmp_path, unique):
    weights = tmp_path / "ckpt.bin"
    weights.write_bytes(b"same weights " + unique.encode())

    with TrainingRun(tribute, name=f"rerun-{unique}", creators=people["builder"].id) as run:
        first = run.checkpoint(weights, step=1)
    with TrainingRun(tribute, name=f"rerun-{unique}", creators=people["builder"].id) as again:
        second = again.checkpoint(weights, step=1)

    assert second.id == first.id
