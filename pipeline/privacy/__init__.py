"""Stage `privacy`: person names in the documents -> stable pseudonyms ("[Persoon 3]").

Needs: the `documents` table (its text and the names a manifest declares). Adds: the same table
with every person mention replaced, an offset map back to the original text (so segments keep
their source offsets) and the mapping pseudonym -> name, which is written beside a run folder,
never into it. Finding names (`find_persons`) is separate from replacing them (`Pseudonymiser`);
`TITLES`, `ADDRESS_FORMS` and `PARTICLES` are the one list of each that both use (and the
themes, which never take a form of address for a subject); `MONTHS` also writes the outputs' dates.
"""

from ._lexicon import is_place
from ._persons import PersonSpan, find_persons
from ._pseudonymise import MAPPING_FIELDS, OffsetMap, Pseudonymiser, write_mapping_csv
from ._rules import ADDRESS_FORMS, MONTHS, PARTICLES, TITLES
from ._stage import Pseudonymised, pseudonymise_documents, with_corpus_mentions

__all__ = [
    "pseudonymise_documents", "Pseudonymised", "find_persons", "PersonSpan", "Pseudonymiser", "OffsetMap",
    "write_mapping_csv", "MAPPING_FIELDS", "TITLES", "PARTICLES", "ADDRESS_FORMS", "MONTHS", "is_place", "with_corpus_mentions",
]
