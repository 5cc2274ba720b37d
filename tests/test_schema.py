"""The "; "-joined cells of the run tables read back as lists, also when pandas read them as missing."""

import io

import pandas as pd

from pipeline.schema import cell_items


def test_joined_cells_read_back_from_a_run_csv():
    csv = ("theme_id,label,top_terms,cases\n"
           "T01,Tolken,tolkenbudget; sociale dienst; tolk,Gent; Sint-Niklaas\n"
           "T02,Zonder termen,,Antwerpen\n")
    themes = pd.read_csv(io.StringIO(csv))
    assert cell_items(themes.at[0, "top_terms"]) == ["tolkenbudget", "sociale dienst", "tolk"]
    assert cell_items(themes.at[0, "cases"]) == ["Gent", "Sint-Niklaas"]
    # An empty cell is NaN after read_csv: no item, never the text "nan".
    assert cell_items(themes.at[1, "top_terms"]) == []
    assert cell_items(pd.NA) == [] and cell_items(None) == []
    # A hand-edited cell (overrides, codebooks) may lack the space or end on a separator.
    assert cell_items("wachtlijst;schuldbemiddeling; ") == ["wachtlijst", "schuldbemiddeling"]
    # ... or write the segment ids of a mechanism as a YAML list instead of one "; "-joined line.
    assert cell_items(["gent.docx:0003", " antwerpen.docx:0012 "]) == ["gent.docx:0003", "antwerpen.docx:0012"]
