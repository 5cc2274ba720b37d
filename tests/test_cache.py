from pipeline import corpus
from pipeline.cache import Cache, code_version, content_hash
from pipeline.config import NlpConfig
from pipeline.corpus import _normalise


def test_roundtrip_and_damaged_entry_is_rebuilt(tmp_path):
    cache = Cache(tmp_path)
    key = cache.key("nlp", code=(_normalise,), settings=NlpConfig(), inputs="Taal is een drempel.")
    cache.put(key, {"lemmas": ["taal", "zijn", "een", "drempel"]})
    assert cache.get(key) == {"lemmas": ["taal", "zijn", "een", "drempel"]}
    path = tmp_path / f"{key}.pkl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a run killed while writing, a disk error
    assert cache.get(key) is None
    assert not path.exists() and cache.repaired == [key]
    built = cache.get_or_build(key, lambda: "opnieuw")
    assert built == "opnieuw" and cache.get(key) == "opnieuw"


def test_flipped_byte_is_detected(tmp_path):
    cache = Cache(tmp_path)
    cache.put("embed/x", [1.0, 2.0])
    path = tmp_path / "embed" / "x.pkl"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cache.get("embed/x") is None


def test_no_cache_dir_means_no_caching():
    cache = Cache(None)
    cache.put("a/b", 1)
    assert cache.get("a/b") is None


def test_content_hash_depends_on_content():
    assert content_hash("a", 1) == content_hash("a", 1)
    assert content_hash("a", 1) != content_hash("a", 2)


def test_a_key_changes_with_code_settings_and_inputs_only():
    key = Cache.key("nlp", code=(_normalise,), settings=NlpConfig(), inputs=["Taal is een drempel."])
    assert key == Cache.key("nlp", code=(_normalise,), settings=NlpConfig(), inputs=["Taal is een drempel."])
    assert key.startswith("nlp/")
    others = {
        Cache.key("nlp", code=(corpus,), settings=NlpConfig(), inputs=["Taal is een drempel."]),
        Cache.key("nlp", code=(_normalise,), settings=NlpConfig(tagger=False), inputs=["Taal is een drempel."]),
        Cache.key("nlp", code=(_normalise,), settings=NlpConfig(), inputs=["Taal is geen drempel."]),
    }
    assert key not in others and len(others) == 3


def test_code_version_of_a_package_covers_all_its_modules(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_rules.py").write_text("WORDS = ('taal',)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import pkg

    before = code_version(pkg)
    (package / "_rules.py").write_text("WORDS = ('taal', 'tolk')\n")  # an edited word list
    assert code_version(pkg) != before
