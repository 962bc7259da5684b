"""No output overwrites an input: Python's writers and ``zipfit.ray``'s output folder
refuse before writing anything, whatever the spelling of the path."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

import zipfit
from zipfit import _zipfit
from conftest import SOURCE, TARGET


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "data.jsonl"
    shutil.copyfile(SOURCE, path)
    (tmp_path / "sub").mkdir()
    os.symlink(path, tmp_path / "link.jsonl")
    os.link(path, tmp_path / "hard.jsonl")
    return path


def spellings(data):
    folder = data.parent
    return [str(data), str(folder / "sub" / ".." / "data.jsonl"), str(folder / "." / "data.jsonl"),
            str(folder / "link.jsonl"), str(folder / "hard.jsonl")]


def test_copy_lines_never_writes_onto_a_source(data):
    before = data.read_bytes()
    one = np.zeros(1, dtype=np.int64)
    for out in spellings(data):
        with pytest.raises(ValueError, match="an output never overwrites an input"):
            _zipfit.copy_lines(out, [str(data)], one, one, np.array([5], dtype=np.int64))
        assert data.read_bytes() == before


def test_scores_file_never_written_onto_a_source(data):
    before = data.read_bytes()
    for out in spellings(data):
        with pytest.raises(ValueError, match="an output never overwrites an input"):
            _zipfit.write_scores_jsonl(out, np.zeros(1), np.ones(1, dtype=np.uint32),
                                       np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64), [str(data)])
        assert data.read_bytes() == before


def test_ray_output_folder_never_holds_a_source(tmp_path, data):
    ray_module = pytest.importorskip("zipfit.ray")
    before = data.read_bytes()
    for out in [str(tmp_path), str(tmp_path / "sub" / ".."), str(data)]:
        with pytest.raises(ValueError, match="holds the input"):
            ray_module.select_files([str(data)], str(TARGET), out, compressor="lz4")
    assert data.read_bytes() == before
