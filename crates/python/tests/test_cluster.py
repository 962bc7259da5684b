"""The pipeline on a Ray cluster of a head and two worker nodes, each started by
``ray start`` as its own processes on this machine: a stand-in for several machines
(the nodes share one disk, as a cluster's nodes share a file system)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SOURCE, TARGET, cli, split_lines

pytest.importorskip("ray")
RAY = Path(sys.executable).with_name("ray")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def cluster(tmp_path):
    """A head with no CPUs (so all work lands on the workers) and two 1-CPU workers."""
    port = free_port()
    env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32),
               RAY_DISABLE_USAGE_STATS="1")
    common = ["--block", "--node-ip-address=127.0.0.1", "--disable-usage-stats"]
    nodes = [subprocess.Popen([str(RAY), "start", "--head", f"--port={port}", "--num-cpus=0",
                               "--include-dashboard=false", *common], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    address = f"127.0.0.1:{port}"
    count_workers = (
        "import ray; ray.init(address=%r, logging_level='ERROR');"
        "print(sum(1 for n in ray.nodes() if n['Alive'] and n['Resources'].get('CPU', 0) > 0))" % address
    )
    try:
        time.sleep(5)
        # One at a time: two nodes starting at once on one machine can race for ports.
        for joined in ("1", "2"):
            nodes.append(subprocess.Popen([str(RAY), "start", f"--address={address}", "--num-cpus=1", *common],
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
            for _ in range(60):
                seen = subprocess.run([sys.executable, "-c", count_workers], env=env, capture_output=True,
                                      text=True)
                if seen.stdout.strip() == joined:
                    break
                time.sleep(2)
            else:
                pytest.fail(f"worker node {joined} did not join: {seen.stdout} {seen.stderr[-2000:]}")
        yield address, env
    finally:
        for node in reversed(nodes):
            os.killpg(node.pid, signal.SIGTERM)
        for node in nodes:
            node.wait(timeout=60)


def test_two_worker_nodes_write_what_the_cli_writes(cluster, tmp_path):
    address, env = cluster
    shards = split_lines(SOURCE, tmp_path / "shards", 6)
    kept, scores = tmp_path / "kept.jsonl", tmp_path / "scores.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", "--top-percent", "10",
        "-o", str(kept), "--scores", str(scores), "-q")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "zipfit.ray", "--address", address, "-s", str(shards[0].parent / "*.jsonl"),
         "-t", str(TARGET), "-c", "lz4", "--top-percent", "10", "-o", str(out), "--part-mb", "1"],
        env=env, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "2 workers" in run.stderr
    assert b"".join(p.read_bytes() for p in sorted(out.glob("*.jsonl"))) == kept.read_bytes()
    ours = [line.split(", ") for line in (out / "_zipfit" / "scores.jsonl").read_text().splitlines()]
    theirs = [line.split(", ") for line in scores.read_text().splitlines()]
    # index, score and rank are the CLI's; file and line place the record in its shard.
    assert [(o[0], o[3], o[4]) for o in ours] == [(t[0], t[2], t[3]) for t in theirs]
