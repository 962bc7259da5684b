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
from typing import Dict

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
    """A head with no CPUs (so all work lands on the workers) and two 1-CPU workers; the
    second has a resource of its own, ``victim``, by which a test can find it. Yields the
    address, the environment and the ``ray start`` processes (head first)."""
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
        for joined, extra in (("1", []), ("2", ['--resources={"victim": 1}'])):
            nodes.append(subprocess.Popen([str(RAY), "start", f"--address={address}", "--num-cpus=1", *extra,
                                           *common], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
            for _ in range(60):
                seen = subprocess.run([sys.executable, "-c", count_workers], env=env, capture_output=True,
                                      text=True)
                if seen.stdout.strip() == joined:
                    break
                time.sleep(2)
            else:
                pytest.fail(f"worker node {joined} did not join: {seen.stdout} {seen.stderr[-2000:]}")
        yield address, env, nodes
    finally:
        for node in reversed(nodes):
            if node.poll() is None:
                os.killpg(node.pid, signal.SIGTERM)
        for node in nodes:
            node.wait(timeout=60)


def test_two_worker_nodes_write_what_the_cli_writes(cluster, tmp_path):
    address, env, _ = cluster
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


def node_processes(group: int) -> Dict[int, str]:
    """One node's processes, by pid, with their titles: those in the process group of its
    ``ray start`` and their descendants (Ray's workers start sessions of their own)."""
    ps = subprocess.run(["ps", "-eo", "pid=,ppid=,pgid=,args="], capture_output=True, text=True, check=True)
    rows = [line.split(None, 3) for line in ps.stdout.splitlines()]
    found = {int(pid): args for pid, _, pgid, *args in rows if int(pgid) == group for args in [" ".join(args)]}
    grew = True
    while grew:
        grew = False
        for pid, ppid, _, *args in rows:
            if int(ppid) in found and int(pid) not in found:
                found[int(pid)] = " ".join(args)
                grew = True
    return found


def test_a_worker_node_killed_mid_run_still_ends_with_the_cli_bytes(cluster, tmp_path):
    address, env, nodes = cluster
    # Enough work (gzip 9 over four copies of the source, in 24 files) that the node dies
    # while scoring.
    big = tmp_path / "big.jsonl"
    big.write_bytes(SOURCE.read_bytes() * 4)
    shards = split_lines(big, tmp_path / "shards", 24)
    kept, scores = tmp_path / "kept.jsonl", tmp_path / "scores.jsonl"
    cli("score", "-s", str(big), "-t", str(TARGET), "-c", "gzip", "-l", "9", "--top-percent", "10",
        "-o", str(kept), "--scores", str(scores), "-q")
    out = tmp_path / "out"
    pipeline = subprocess.Popen(
        [sys.executable, "-m", "zipfit.ray", "--address", address, "-s", str(shards[0].parent / "*.jsonl"),
         "-t", str(TARGET), "-c", "gzip", "-l", "9", "--top-percent", "10", "-o", str(out)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        def scoring_on_victim() -> bool:
            return any("ReadAndScore" in title for title in node_processes(nodes[2].pid).values())

        for _ in range(2400):
            if scoring_on_victim() or pipeline.poll() is not None:
                break
            time.sleep(0.25)
        assert scoring_on_victim(), "no scoring actor ran on the second worker node"
        time.sleep(2)  # well into its work
        assert pipeline.poll() is None, "the run ended before the node could be killed"
        for pid in node_processes(nodes[2].pid):  # the node, as if its machine went down
            os.kill(pid, signal.SIGKILL)
        nodes[2].wait(timeout=60)
        _, stderr = pipeline.communicate(timeout=900)
    finally:
        if pipeline.poll() is None:
            pipeline.kill()
    assert pipeline.returncode == 0, stderr[-3000:]
    assert b"".join(p.read_bytes() for p in sorted(out.glob("*.jsonl"))) == kept.read_bytes()
    ours = [line.split(", ") for line in (out / "_zipfit" / "scores.jsonl").read_text().splitlines()]
    theirs = [line.split(", ") for line in scores.read_text().splitlines()]
    assert [(o[0], o[3], o[4]) for o in ours] == [(t[0], t[2], t[3]) for t in theirs]
