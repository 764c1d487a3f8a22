"""The stale-code check that `make lint` runs can fail."""

from __future__ import annotations

from pathlib import Path

from tools import protogen


def test_fresh_generation_is_current_and_an_edit_is_stale(tmp_path: Path) -> None:
    protogen.generate(tmp_path)
    assert protogen.check(tmp_path) == 0
    generated = tmp_path / "ccperf" / "org" / "v1" / "org_pb2.py"
    generated.write_text(generated.read_text() + "\n# hand edit\n")
    assert protogen.check(tmp_path) == 1


def test_committed_code_is_current() -> None:
    assert protogen.check(Path(protogen.ROOT) / "gen") == 0
