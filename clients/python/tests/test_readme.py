"""The README's quickstart, executed as written against the real suite."""
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def quickstart() -> str:
    text = README.read_text()
    marker = text.index("<!-- quickstart")
    return re.search(r"```python\n(.*?)```", text[marker:], re.S).group(1)


def test_readme_quickstart_runs_as_written(suite, capsys):
    namespace: dict = {}

    exec(compile(quickstart(), str(README), "exec"), namespace)

    printed = capsys.readouterr().out
    assert namespace["attribution"].id in printed
    assert f"logged at index {namespace['attribution'].log_index}" in printed
    assert namespace["checkpoint"].tree_size > namespace["attribution"].log_index
