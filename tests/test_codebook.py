from pathlib import Path

import pytest

from pipeline.analysis.themes import load_codebook
from pipeline.errors import InputError

PROJECT = Path(__file__).resolve().parent.parent


def test_shipped_2019_codebook_loads():
    themes = load_codebook(PROJECT / "codebooks" / "stadsgenoten_2019.yaml")
    names = [t.theme for t in themes]
    assert "Taal en communicatie" in names and "Lijm, bruggen en brugfiguren" in names and len(names) >= 15
    assert all(t.seeds and t.description for t in themes)
    assert "tolkenbudget" in next(t for t in themes if t.theme == "Taal en communicatie").seeds


def test_csv_codebook(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text("theme,description,seeds,examples\n"
                    "Wonen,Huisvesting,woning;huur;sociale woning,De wachtlijst is lang. | Huren is duur.\n",
                    encoding="utf-8")
    (theme,) = load_codebook(path)
    assert theme.seeds == ("woning", "huur", "sociale woning")
    assert theme.examples == ("De wachtlijst is lang.", "Huren is duur.")
    assert "sociale woning" in theme.text


@pytest.mark.parametrize("body, problem", [
    ("themes:\n  - description: zonder naam\n", "geen naam"),
    ("themes:\n  - theme: Wonen\n    seeds: [huur]\n  - theme: Wonen\n    seeds: [woning]\n", "twee keer"),
    ("themes:\n  - theme: Wonen\n    zaden: [huur]\n", "onbekend\\(e\\) veld"),
    ("thema: []\n", "geen lijst 'themes:'"),
    ("themes:\n  - theme: Leeg\n", "geen description, seeds of examples"),
])
def test_bad_codebooks_say_what_to_fix(tmp_path, body, problem):
    path = tmp_path / "c.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as info:
        load_codebook(path)
    assert "c.yaml" in str(info.value)
