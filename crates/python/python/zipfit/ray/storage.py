"""Where the pipeline's files are: local paths (on a disk every node sees), or
object-store URLs (``s3://bucket/key``, and any scheme pyarrow's filesystems take),
reached through ``pyarrow.fs`` as Ray Data reaches them.

The core reads and writes local files, so a file in an object store is copied to a
local temporary file to be read (``local_copy``), and an output is written to a local
temporary file and then uploaded (``output``). Credentials and endpoints come from the
environment, as pyarrow reads them (``AWS_ACCESS_KEY_ID``, ``AWS_ENDPOINT_URL``, ...).
"""

from __future__ import annotations

import contextlib
import fnmatch
import glob
import os
import posixpath
import shutil
import tempfile
from typing import IO, Iterator, List, Sequence, Tuple

from zipfit._zipfit import source_files

# Kinds of source files a folder stands for.
SOURCE_SUFFIXES = ("*.jsonl", "*.jsonl.gz", "*.parquet")


def is_url(path: str) -> bool:
    return "://" in path


def _filesystem(url: str) -> Tuple["object", str, str]:
    """The filesystem of ``url``, the path inside it, and the URL's scheme."""
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(url)
    return filesystem, inner, url.split("://", 1)[0]


def join(folder: str, *names: str) -> str:
    return posixpath.join(folder, *names) if is_url(folder) else os.path.join(folder, *names)


def absolute(path: str) -> str:
    return path if is_url(path) else os.path.abspath(path)


def find(pattern: str) -> List[str]:
    """The files ``pattern`` names: a file, a glob, or a folder (its source files). A
    local path follows the rule of every zipfit shell (``zipfit.source_files``: folders
    recursively); an object store's folder means its own ``SOURCE_SUFFIXES`` files."""
    if not is_url(pattern):
        try:
            return source_files([pattern])[0]
        except FileNotFoundError:
            return []
    from pyarrow import fs

    filesystem, inner, scheme = _filesystem(pattern)
    info = filesystem.get_file_info(inner)
    if info.type == fs.FileType.File:
        return [pattern]
    if info.type == fs.FileType.Directory:
        folder, patterns = inner, SOURCE_SUFFIXES
    else:
        folder, name = posixpath.split(inner)
        patterns = (name,)
    listed = filesystem.get_file_info(fs.FileSelector(folder, allow_not_found=True))
    return sorted(
        f"{scheme}://{entry.path}"
        for entry in listed
        if entry.type == fs.FileType.File
        and any(fnmatch.fnmatch(posixpath.basename(entry.path), p) for p in patterns)
    )


@contextlib.contextmanager
def open_input(path: str) -> Iterator[IO[bytes]]:
    """``path`` opened for reading (random access)."""
    if not is_url(path):
        with open(path, "rb") as f:
            yield f
        return
    filesystem, inner, _ = _filesystem(path)
    with filesystem.open_input_file(inner) as f:
        yield f


def head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of ``path``."""
    with open_input(path) as f:
        return f.read(size)


@contextlib.contextmanager
def _temporary(inner: str) -> Iterator[str]:
    """A path, in a new temporary folder removed afterwards, named as ``inner`` ends."""
    with tempfile.TemporaryDirectory(prefix="zipfit-") as folder:
        yield os.path.join(folder, posixpath.basename(inner))


@contextlib.contextmanager
def local_copy(path: str) -> Iterator[str]:
    """A local path holding ``path``'s bytes: the file itself, or a temporary copy of an
    object, removed afterwards."""
    if not is_url(path):
        yield path
        return
    filesystem, inner, _ = _filesystem(path)
    with _temporary(inner) as local:
        with filesystem.open_input_stream(inner) as source, open(local, "wb") as copy:
            shutil.copyfileobj(source, copy, 16 << 20)
        yield local


@contextlib.contextmanager
def local_copies(paths: Sequence[str]) -> Iterator[List[str]]:
    """``local_copy`` of each of ``paths``."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(local_copy(p)) for p in paths]


@contextlib.contextmanager
def output(path: str) -> Iterator[str]:
    """A local path to write ``path`` at: the path itself, or a temporary file uploaded
    to the object store once written (and only if it was written completely)."""
    if not is_url(path):
        yield path
        return
    filesystem, inner, _ = _filesystem(path)
    with _temporary(inner) as local:
        yield local
        with open(local, "rb") as written, filesystem.open_output_stream(inner) as upload:
            shutil.copyfileobj(written, upload, 16 << 20)


def make_folder(path: str) -> None:
    if is_url(path):
        filesystem, inner, _ = _filesystem(path)
        filesystem.create_dir(inner, recursive=True)
    else:
        os.makedirs(path, exist_ok=True)


def remove(folder: str, pattern: str) -> None:
    """Removes the files in ``folder`` whose names match ``pattern``."""
    if not is_url(folder):
        for stale in glob.glob(os.path.join(folder, pattern)):
            os.remove(stale)
        return
    from pyarrow import fs

    filesystem, inner, _ = _filesystem(folder)
    for entry in filesystem.get_file_info(fs.FileSelector(inner, allow_not_found=True)):
        if entry.type == fs.FileType.File and fnmatch.fnmatch(posixpath.basename(entry.path), pattern):
            filesystem.delete_file(entry.path)
