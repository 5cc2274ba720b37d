import pytest

from pipeline.config import Config, load_config, section_hash
from pipeline.errors import ConfigError


def test_defaults_and_overrides():
    cfg = load_config(**{"themes.n_themes": "8", "seed": 7, "corpus.path": "x"})
    assert cfg.themes.n_themes == 8 and cfg.seed == 7 and cfg.corpus.path == "x"
    assert load_config().themes.n_themes == "auto"
    # replace() rebuilds every section: a key that merely ends in "n_themes" is a plain number
    copy = cfg.replace(**{"mechanisms.min_themes": 1, "themes.n_themes": 9})
    assert copy.mechanisms.min_themes == 1 and copy.themes.n_themes == 9 and copy.seed == 7


def test_unknown_keys_are_errors(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("themes:\n  n_theme: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="n_theme"):
        load_config(path)
    with pytest.raises(ConfigError, match="onbekende sleutel"):
        load_config(**{"clustering.k": 3})


def test_wrong_types_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="geheel getal"):
        load_config(**{"seed": "dertien"})
    with pytest.raises(ConfigError, match="auto"):
        load_config(**{"themes.n_themes": 1})
    path = tmp_path / "c.yaml"
    path.write_text("corpus:\n  known_cases: Gent\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="moet een lijst zijn"):
        load_config(path)


def test_a_bad_option_on_the_command_line_is_a_dutch_error(capsys):
    from pipeline.cli import main

    assert main(["run", "--n-themes", "abc", "--quiet"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("fout: ")
    assert "n_themes: moet 'auto' of een geheel getal van minstens 2 zijn, niet 'abc'" in err
    assert "expected" not in err


def test_yaml_file_and_section_hash(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("seed: 3\ncorpus:\n  known_cases: []\n  case_aliases: {Lok.: Lokeren}\n", encoding="utf-8")
    cfg = load_config(path)
    assert cfg.seed == 3 and cfg.corpus.known_cases == () and cfg.corpus.case_aliases == {"Lok.": "Lokeren"}
    assert section_hash(cfg.nlp) == section_hash(Config().nlp)
    assert section_hash(cfg.corpus) != section_hash(Config().corpus)
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_config(tmp_path / "nope.yaml")
