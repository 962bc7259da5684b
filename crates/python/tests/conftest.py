"""What the Python tests share: the data, the CLI to compare with, and a local Ray."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "target" / "release" / "zipfit"


def data_dir() -> Path:
    """``../shared/data/dev-5k`` when present, else the bundled example."""
    dev = ROOT.parent / "shared" / "data" / "dev-5k"
    return dev if (dev / "source.jsonl").exists() else ROOT / "www" / "example"


SOURCE = data_dir() / "source.jsonl"
TARGET = data_dir() / "target.jsonl"


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the zipfit CLI (built by scripts/test.sh) with ``args``."""
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: cargo build --release -p zipfit-cli")
    return subprocess.run([str(CLI), *args], capture_output=True, check=check)


def cli_scores(path: Path) -> List[Dict]:
    """The rows of a scores file written by ``zipfit score --scores``."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def local_ray():
    """Ray started in this process with 2 CPUs, for the whole session."""
    ray = pytest.importorskip("ray")
    from ray.data import DataContext

    os.environ.setdefault("RAY_DISABLE_USAGE_STATS", "1")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


def split_lines(source: Path, folder: Path, parts: int) -> List[Path]:
    """Splits ``source`` into ``parts`` files of whole lines, byte for byte, whose
    concatenation in sorted name order is the original."""
    data = source.read_bytes()
    lines = data.splitlines(keepends=True)
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-len(lines) // parts)
    paths = []
    for n in range(parts):
        path = folder / f"shard-{n:03d}.jsonl"
        path.write_bytes(b"".join(lines[n * size : (n + 1) * size]))
        paths.append(path)
    assert b"".join(p.read_bytes() for p in paths) == data
    return paths
