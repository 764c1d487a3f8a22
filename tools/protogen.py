"""Generate the Python code for protos/ into gen/ (``make proto``), or check it is current.

Pinned grpcio-tools makes the output byte-for-byte reproducible, so ``--check``
can compare a fresh generation with what is committed and fail on any drift.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "protos"
THIRD_PARTY = ROOT / "third_party" / "googleapis"


def generate(out_dir: Path) -> None:
    """Run protoc for every proto under protos/ and add the package __init__ files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    well_known = resources.files("grpc_tools") / "_proto"
    sources = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{THIRD_PARTY}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for directory in [out_dir / "ccperf", *(out_dir / "ccperf").rglob("*")]:
        if directory.is_dir() and directory.name != "__pycache__":
            (directory / "__init__.py").touch()


def _tree(root: Path) -> set[Path]:
    return {
        p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def check(out_dir: Path) -> int:
    """Return 0 when out_dir holds exactly what generate() would write."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh)
        expected, actual = _tree(fresh / "ccperf"), _tree(out_dir / "ccperf")
        stale = sorted(
            str(p)
            for p in expected | actual
            if p not in expected
            or p not in actual
            or not filecmp.cmp(fresh / "ccperf" / p, out_dir / "ccperf" / p, shallow=False)
        )
    if stale:
        print("generated protobuf code is stale; run `make proto`:", *stale, sep="\n  ")
        return 1
    print("generated protobuf code is current")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    ns = parser.parse_args()
    if ns.check:
        return check(ns.out_dir)
    generate(ns.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
