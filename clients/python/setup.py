"""Generates the gRPC stubs from Tribute's .proto files while the package is built.

The stubs are never committed: `build_py` runs grpcio-tools over ../../proto (or $TRIBUTE_PROTO_DIR, or the
copy an sdist carries in ./proto) and writes them into the built package as tribute_client._gen, rewriting
the generated absolute imports ("from tribute.common.v1 import ...") so that they resolve inside it.
"""
import os
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
GENERATED_PACKAGE = "tribute_client/_gen"
IMPORT_LINE = re.compile(r"^from tribute\.(\S+) import", re.MULTILINE)


def proto_root() -> Path:
    candidates = [os.environ.get("TRIBUTE_PROTO_DIR"), HERE / "proto", HERE.parent.parent / "proto"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "tribute").is_dir():
            return Path(candidate).resolve()
    raise SystemExit("tribute-client: cannot find Tribute's proto/ directory (set TRIBUTE_PROTO_DIR)")


def generate(into: Path) -> None:
    import grpc_tools
    from grpc_tools import protoc

    root = proto_root()
    protos = sorted(str(p.relative_to(root)) for p in (root / "tribute").rglob("*.proto"))
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    into.mkdir(parents=True, exist_ok=True)
    args = ["grpc_tools.protoc", f"-I{root}", f"-I{well_known}", f"--python_out={into}",
            f"--pyi_out={into}", f"--grpc_python_out={into}", *protos]
    if protoc.main(args) != 0:
        raise SystemExit("tribute-client: protoc failed on " + ", ".join(protos))
    for directory in [into, *[p for p in into.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    for module in into.rglob("*.py*"):
        text = module.read_text()
        rewritten = IMPORT_LINE.sub(r"from tribute_client._gen.tribute.\1 import", text)
        if rewritten != text:
            module.write_text(rewritten)


class BuildWithStubs(build_py):
    def run(self):
        super().run()
        generate(Path(self.build_lib) / GENERATED_PACKAGE)


class SdistWithProtos(sdist):
    """An sdist carries a copy of the .proto files, so that a wheel can be built from it anywhere."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        shutil.copytree(proto_root() / "tribute", Path(base_dir) / "proto" / "tribute", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithStubs, "sdist": SdistWithProtos})
