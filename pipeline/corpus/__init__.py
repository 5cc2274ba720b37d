"""Stage `corpus`: the notes on disk -> the `documents` table -> the `segments` table.

Needs: a corpus folder (notes files + manifest.csv) or one spreadsheet of written answers, with
`CorpusConfig`; `SegmentConfig` for the split. Adds: `documents` (normalised text, case,
session, role; see `pipeline.schema`) with an account of every input file (read or skipped, and
why), then `segments`: speaker turns, question/answer blocks or paragraphs, each with character
offsets into its document's text. Readers are well-kept libraries (python-docx, pypdfium2,
odfpy, openpyxl via pandas, charset-normalizer); `normalise_text` is the one text normaliser.
"""

from ._cases import CaseNormaliser, UnknownCase
from ._ingest import SUPPORTED, FileRecord, IngestResult, count_paragraphs, ingest
from ._readers import decode_text, read_file_text
from ._normalise import fold_accents, normalise_text
from ._segment import segment, speaker_label, split_paragraphs

__all__ = [
    "ingest", "IngestResult", "FileRecord", "SUPPORTED", "read_file_text", "decode_text", "count_paragraphs",
    "normalise_text", "fold_accents", "CaseNormaliser", "UnknownCase", "segment", "speaker_label", "split_paragraphs",
]
