"""Issue "Atomic runs": a run is written into a hidden temporary folder and renamed on success; a run
that fails or is killed half-way leaves no partial run and earlier runs untouched; a damaged cache
entry is detected, rebuilt, and reported in run.json."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import load_config

from pipeline import run

from pipeline import store
from pipeline.store import list_runs

from .fixtures_bad import FAST, FAST_CLI

PROJECT = Path(__file__).resolve().parent.parent


def _config(corpus: Path, out: Path, **extra):
    return load_config(**{"corpus.path": str(corpus), "output.out_dir": str(out), **FAST, **extra})


def _tree(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file below folder (plus modes of folders)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else oct(path.stat().st_mode)
    return out


def _visible(out: Path) -> list[str]:
    """The run folders an analyst sees in the output folder. Files beside them must belong to one
    of them (the pseudonym key `<run>.pseudoniemen.csv` is kept outside its run folder)."""
    folders = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    files = [p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert all(any(name.startswith(f"{folder}.") for folder in folders) for name in files), files
    return folders


@pytest.fixture
def earlier_run(small_corpus, tmp_path):
    """An output folder holding one complete run; returns (out, run folder, its file hashes)."""
    out = tmp_path / "out"
    result = run(_config(small_corpus, out))
    return out, result.run_dir, _tree(result.run_dir)


# --------------------------------------------------------------------------- in-process failures


def test_a_run_failing_while_writing_leaves_nothing(small_corpus, earlier_run, monkeypatch):
    out, earlier, before = earlier_run
    real, calls = store.write_csv, []

    def write_then_fail(df, path):
        calls.append(path)
        if len(calls) == 3:  # documents.csv and segments.csv are written; themes.csv fails
            raise OSError(28, "No space left on device")
        real(df, path)

    monkeypatch.setattr(store, "write_csv", write_then_fail)
    with pytest.raises(OSError, match="No space left"):
        run(_config(small_corpus, out, seed=99))
    assert len(calls) == 3
    assert list_runs(out) == [earlier]
    assert _visible(out) == [earlier.name]
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]  # cleaned up on the way out
    assert _tree(earlier) == before


def test_a_run_failing_in_a_stage_writes_nothing(small_corpus, earlier_run, monkeypatch):
    out, earlier, before = earlier_run
    from pipeline.analysis.themes import _model as cluster

    def broken_fit(self, *args, **kwargs):
        raise MemoryError("simulated")

    monkeypatch.setattr(cluster.ThemeModel, "fit", broken_fit)
    with pytest.raises(MemoryError):
        run(_config(small_corpus, out, seed=98))
    assert list_runs(out) == [earlier] and _visible(out) == [earlier.name]
    assert _tree(earlier) == before


def test_a_second_identical_run_gets_its_own_folder(small_corpus, earlier_run):
    out, earlier, before = earlier_run
    again = run(_config(small_corpus, out))
    assert again.run_dir != earlier and list_runs(out) == [earlier, again.run_dir]
    assert _tree(earlier) == before
    assert (again.run_dir / "segments.csv").read_bytes() == (earlier / "segments.csv").read_bytes()


# --------------------------------------------------------------------------- killed with SIGKILL

# Runs the CLI in a child process with one function slowed down, so the test can kill it at a
# known point: "parse" (the NLP stage is storing its results in the cache: one entry written, the
# next one not) or "write" (the run folder is half written: documents.csv is there, the rest not).
_CHILD = r"""
import sys, time
from pathlib import Path
marker, where, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
if where == "write":
    from pipeline import store
    real = store.write_csv
    def slow(df, path):
        real(df, path)
        marker.write_text(str(path))
        time.sleep(600)
    store.write_csv = slow
else:  # parse: the parse ran and its first cache entry is stored; stop before the next one
    from pipeline.cache import Cache
    real = Cache.put
    def slow(self, key, value):
        if self.root is None:  # a stage called without a cache
            return real(self, key, value)
        if marker.exists():
            time.sleep(600)
        real(self, key, value)
        marker.write_text(key)
    Cache.put = slow
from pipeline.cli import main
sys.exit(main(argv))
"""


def _kill_at(where: str, corpus: Path, out: Path, tmp_path: Path) -> int:
    marker = tmp_path / f"reached-{where}"
    cmd = [sys.executable, "-c", _CHILD, str(marker), where,
           "run", "--corpus", str(corpus), "--out", str(out), "--seed", "7", "--quiet", *FAST_CLI]
    log = tmp_path / f"child-{where}.log"
    with log.open("wb") as fh:
        child = subprocess.Popen(cmd, cwd=PROJECT, stdout=fh, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            assert child.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the child never reached the kill point"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        return child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize("where", ["parse", "write"])
def test_a_killed_run_leaves_no_partial_run(where, small_corpus, earlier_run, tmp_path):
    out, earlier, before = earlier_run
    if where == "parse":
        shutil.rmtree(out / ".cache")  # so that the child really parses
    code = _kill_at(where, small_corpus, out, tmp_path)
    assert code == -signal.SIGKILL
    assert list_runs(out) == [earlier]
    assert _visible(out) == [earlier.name]  # a half-written folder, if any, is hidden (.name.partial)
    hidden = [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"]
    assert all(p.name.endswith(".partial") for p in hidden)
    if where == "write":
        assert len(hidden) == 1 and (hidden[0] / "documents.csv").is_file()
        assert not (hidden[0] / "run.json").exists()
    assert _tree(earlier) == before
    # The next run is not disturbed by the remains of the killed one.
    again = run(_config(small_corpus, out, seed=7))
    assert list_runs(out) == [earlier, again.run_dir]
    cache = json.loads((again.run_dir / "run.json").read_text(encoding="utf-8"))["cache"]
    assert cache["repaired"] == []
    if where == "parse":
        assert cache["hits"] >= 1  # what the killed run had cached is sound and used


# --------------------------------------------------------------------------- damaged cache


def _cache_entries(cache: Path, stage: str) -> list[Path]:
    return sorted((cache / stage).glob("*.pkl"))


@pytest.mark.parametrize("damage", ["truncated", "empty", "flipped byte"])
def test_damaged_parse_cache_entry_is_rebuilt_and_reported(damage, small_corpus, earlier_run):
    out, earlier, _ = earlier_run
    cache = out / ".cache"
    entries = _cache_entries(cache, "nlp")
    assert entries, "the first run cached its parse"
    victim = entries[len(entries) // 2]
    data = victim.read_bytes()
    if damage == "truncated":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        victim.write_bytes(b"")
    else:
        victim.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    key = victim.relative_to(cache).with_suffix("").as_posix()

    second = run(_config(small_corpus, out))
    info = json.loads((second.run_dir / "run.json").read_text(encoding="utf-8"))
    assert info["cache"]["repaired"] == [key]
    assert any("opnieuw opgebouwd" in w for w in info["warnings"])
    assert victim.is_file() and victim.read_bytes() != data[: len(data) // 2]  # written again
    for name in ("segments.csv", "themes.csv", "matrix.csv"):  # same results as from a sound cache
        assert (second.run_dir / name).read_bytes() == (earlier / name).read_bytes(), name

    third = run(_config(small_corpus, out))
    assert third.info["cache"]["repaired"] == [] and third.info["cache"]["misses"] == 0


def test_damaged_embedding_cache_entry_is_rebuilt(small_corpus, tmp_path):
    out = tmp_path / "out"
    config = _config(small_corpus, out, **{"embed.backend": "use"})
    first = run(config)
    entries = _cache_entries(out / ".cache", "embed")
    assert entries
    victim = entries[0]
    victim.write_bytes(victim.read_bytes()[:100])
    second = run(config)
    assert second.info["cache"]["repaired"] == [victim.relative_to(out / ".cache").with_suffix("").as_posix()]
    assert np.allclose(first.embeddings, second.embeddings, atol=1e-6)
    assert (second.run_dir / "segments.csv").read_bytes() == (first.run_dir / "segments.csv").read_bytes()


def test_parsed_files_are_cached_by_content_and_damage_is_repaired(small_corpus, tmp_path, monkeypatch):
    import pandas as pd

    from pipeline.cache import Cache
    from pipeline.corpus import _normalise, _readers
    from pipeline.corpus import ingest
    from pipeline.config import CorpusConfig

    from .makers import write_pdf

    config = CorpusConfig(path=str(small_corpus))
    cache = Cache(tmp_path / "cache")
    first = ingest(config, cache=cache)
    entries = _cache_entries(tmp_path / "cache", "ingest")
    assert cache.misses == len(entries) == 3  # the .docx, .pdf and .odt; text and spreadsheets are read

    def no_reading(path, *args):
        raise AssertionError(f"{path} was parsed again")

    with monkeypatch.context() as patched:
        for reader in ("_read_pdf", "_read_docx", "_read_odt"):
            patched.setattr(_readers, reader, no_reading)
        warm = Cache(tmp_path / "cache")
        second = ingest(config, cache=warm)
    assert (warm.hits, warm.misses) == (3, 0)
    pd.testing.assert_frame_equal(first.documents, second.documents)

    # A damaged entry (the .docx) is rebuilt; a changed file (the .pdf) is read again.
    docx_sha = hashlib.sha256((small_corpus / "antwerpen_tafel1.docx").read_bytes()).hexdigest()
    key = cache.key("ingest", code=(_readers, _normalise), settings=".docx", inputs=docx_sha)
    victim = tmp_path / "cache" / f"{key}.pkl"
    victim.write_bytes(victim.read_bytes()[:40])
    write_pdf(small_corpus / "brugge_meta.pdf", ["Metagesprek Brugge", "", "Diensthoofd: een nieuwe versie."])
    third = Cache(tmp_path / "cache")
    result = ingest(config, cache=third)
    assert third.repaired == [key] and (third.hits, third.misses) == (1, 2)
    documents = result.documents.set_index("doc_id")
    assert "een nieuwe versie" in documents.loc["brugge_meta.pdf", "text"]
    assert documents.loc["antwerpen_tafel1.docx", "text"] == first.documents.set_index("doc_id").loc[
        "antwerpen_tafel1.docx", "text"]
