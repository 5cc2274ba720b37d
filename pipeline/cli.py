"""The `stadsgenoten` command: a thin shell over `pipeline.run`. Only this module prints."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from .config import DEMO_CORPUS, load_config
from .errors import PipelineError

__all__ = ["main"]

_EPILOG = """voorbeelden:
  stadsgenoten run                                   # de meegeleverde demo-corpus
  stadsgenoten run --corpus notities/ --out resultaten/
  stadsgenoten run --corpus antwoorden.xlsx --text-column Antwoord --case-column Gemeente
"""


# argparse's own messages are English; an analyst reads Dutch. These are the ones a mistyped command
# line gives (Python 3.11's wording); anything else passes through as argparse wrote it.
_ARGPARSE_NL = (
    (r"argument (\S+): invalid int value: (.+)", r"\1: \2 is geen geheel getal"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"\1: \2 kan niet; kies uit \3"),
    (r"argument (\S+): expected one argument", r"\1 verwacht een waarde"),
    (r"the following arguments are required: (.+)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.+)", r"onbekende argumenten: \1"),
)


class _UsageError(Exception):
    """A command line argparse refused; `main` returns 2 for it, as for any other `fout:`."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for pattern, dutch in _ARGPARSE_NL:
            message = re.sub(pattern, dutch, message)
        print(f"fout: {message}", file=sys.stderr)
        self.print_usage(sys.stderr)
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stadsgenoten",
        description="Lokale, reproduceerbare analyse van Nederlandstalige gespreksnotities: "
                    "thema's over steden heen, met citaten die terugleiden naar bestand en positie.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="analyse a corpus and write a new run folder",
                         description="Analyse a corpus folder (notes + manifest.csv) or one spreadsheet of "
                                     "written answers, and write a new folder under --out.",
                         epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--corpus", metavar="PATH",
                     help=f"a folder with notes files and manifest.csv, or a .xlsx/.csv file "
                          f"(default: the demo corpus {DEMO_CORPUS})")
    run.add_argument("--out", metavar="DIR", help="parent folder for run folders (default: outputs/)")
    run.add_argument("--config", metavar="FILE", help="a YAML config file (see config.example.yaml)")
    run.add_argument("--text-column", metavar="NAME", help="spreadsheet column with the answer text (default: Antwoord)")
    run.add_argument("--case-column", metavar="NAME", help="spreadsheet column with the city/case (default: Stad)")
    run.add_argument("--question-column", metavar="NAME", help="spreadsheet column with the question (default: Vraag; '' for none)")
    run.add_argument("--case-noun", metavar="ENKELVOUD/MEERVOUD",
                     help="what the report, summary and workbook call the cases (default: 'stad/steden'; e.g. "
                          "'ministerie/ministeries', 'sectie/secties', 'partij/partijen')")
    run.add_argument("--seed", type=int, help="random seed for clustering (default: 13)")
    run.add_argument("--n-themes", metavar="N|auto", help="number of themes, or 'auto' (default)")
    run.add_argument("--mechanism-codebook", metavar="FILE",
                     help="code statements against known mechanisms first (YAML of concepts and mechanisms; example: "
                          "codebooks/stadsgenoten_2019_mechanismen.yaml); without it mechanisms are found from the notes")
    run.add_argument("--codebook", metavar="FILE",
                     help="guided mode: a codebook (YAML/CSV) of themes with descriptions, seed words and examples; "
                          "what fits no codebook theme still forms new themes (example: codebooks/stadsgenoten_2019.yaml)")
    run.add_argument("--overrides", metavar="FILE",
                     help="analyst overrides YAML: rename, merge, exclude themes; confirm, drop, rename, merge, add "
                          "mechanisms (default: <out>/overrides.yaml if present)")
    run.add_argument("--previous-run", metavar="DIR|latest|none",
                     help="keep theme ids of this earlier run folder (default: latest run of the same corpus)")
    run.add_argument("--save-model", metavar="NAME", help="save the fitted theme model as models/themes/NAME")
    run.add_argument("--model", metavar="NAME|DIR",
                     help="code this corpus against a saved theme model (an earlier round) instead of finding themes")
    run.add_argument("--compare-with", metavar="RUN_DIR",
                     help="an earlier round's run folder: code this round against its themes and mechanisms (new "
                          "ones get new ids) and write vergelijking.csv and the section 'Wat is er veranderd'")
    run.add_argument("--embeddings", metavar="use|none|DIR",
                     help="sentence embeddings: 'use' (built in), 'none' (lexical only) or a local model folder")
    run.add_argument("--strict", action="store_true", help="stop at the first file that cannot be used")
    run.add_argument("--no-pseudonymise", action="store_true",
                     help="keep person names in the outputs (default: replaced by [Persoon N]; the mapping is "
                          "written next to the run folder, not in it)")
    run.add_argument("--quiet", action="store_true", help="no progress bars; only errors and the result folder")
    regen = sub.add_parser("regenerate", help="rebuild summary, report, plots and exports of a run folder",
                           description="Rebuild summary.md, report.html, plots, the workbook and the REFI-QDA export "
                                       "of an existing run folder from its tables and the overrides file (renamed, "
                                       "merged or excluded themes), without parsing or clustering again.")
    regen.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by `stadsgenoten run`")
    regen.add_argument("--overrides", metavar="FILE",
                       help="analyst overrides YAML (default: RUN_DIR/overrides.yaml if present)")
    _add_search_parser(sub)
    return parser


def _add_search_parser(sub) -> None:
    search = sub.add_parser(
        "zoek", help="meer zoals dit: de zinnen van een run die lijken op een tekst of een fragment",
        description="Zoek in een bestaande run de zinnen die het meest lijken op een tekst (--tekst) of op een "
                    "fragment (--fragment SEGMENT_ID uit segments.csv; het fragment zelf telt niet mee), "
                    "beste eerst, één zin per fragment. Woorden (lemma's, hun stammen en delen van "
                    "samenstellingen) en betekenis (zinsvectoren) samen, aangevuld met de beste treffers. De run "
                    "wordt niet opnieuw geanalyseerd.\n\n"
                    "score: hoeveel standaardafwijkingen de zin boven de gemiddelde zin van de run uitkomt "
                    "(per kijk — woorden, spelling, betekenis — gestandaardiseerd over de zinnen van de run, "
                    "dan gemiddeld). Het ordent de treffers van één zoekvraag; scores van verschillende "
                    "zoekvragen zijn niet te vergelijken (een zeldzaam woord als 'hoofddoek' geeft hogere "
                    "scores dan een gewoon woord als 'tolken'). Een zoektekst waarvan de run geen enkel woord "
                    "kent, zoekt alleen op betekenis; dat staat dan op stderr.",
        epilog="voorbeelden:\n"
               "  stadsgenoten zoek outputs/20261128T193757-0c1e50 --tekst \"tolken zijn te duur\"\n"
               "  stadsgenoten zoek outputs/20261128T193757-0c1e50 --fragment 'gent/gent_gesprekstafel_1.pdf:0003' --top 10\n"
               "  stadsgenoten zoek outputs/20261128T193757-0c1e50 --tekst \"projecten blijven tijdelijk\" "
               "--format csv > treffers.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    search.add_argument("run_dir", metavar="RUN_DIR", help="een runmap, geschreven door `stadsgenoten run`")
    search.add_argument("--tekst", metavar="TEKST", help="zoek zinnen die lijken op deze tekst")
    search.add_argument("--fragment", metavar="SEGMENT_ID", help="zoek zinnen die lijken op dit fragment")
    search.add_argument("--top", type=int, default=20, metavar="N", help="aantal treffers (standaard 20)")
    search.add_argument("--format", choices=("tekst", "csv"), default="tekst",
                        help="tekst (standaard, om te lezen) of csv (rank,segment_id,case,theme_id,score,sentence)")


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda it, desc, total=None: tqdm(it, desc=desc, total=total, leave=False, unit=" st")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageError:
        return 2
    logging.basicConfig(level=logging.ERROR if getattr(args, "quiet", False) else logging.WARNING, format="%(message)s")
    if args.command == "regenerate":
        return _regenerate(args)
    if args.command == "zoek":
        return _zoek(args)
    from .run import run

    try:
        config = load_config(args.config, **{
            "corpus.path": args.corpus,
            "corpus.text_column": args.text_column,
            "corpus.case_column": args.case_column,
            "corpus.question_column": args.question_column,
            "corpus.case_noun": args.case_noun,
            "corpus.strict": True if args.strict else None,
            "privacy.pseudonymise": False if args.no_pseudonymise else None,
            "output.out_dir": str(Path(args.out).resolve()) if args.out else None,
            "seed": args.seed,
            "themes.n_themes": args.n_themes,
            "embed.backend": args.embeddings,
            "themes.codebook": str(Path(args.codebook).resolve()) if args.codebook else None,
            "mechanisms.codebook": str(Path(args.mechanism_codebook).resolve()) if args.mechanism_codebook else None,
            "themes.overrides": str(Path(args.overrides).resolve()) if args.overrides else None,
            "themes.previous_run": args.previous_run,
            "themes.save_model": args.save_model,
            "themes.model": args.model,
            "themes.compare_with": str(Path(args.compare_with).resolve()) if args.compare_with else None,
        })
        result = run(config, progress=_progress(args.quiet))
    except PipelineError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afgebroken; er is geen (gedeeltelijke) run weggeschreven", file=sys.stderr)
        return 130

    counts, info = result.info["counts"], result.info
    # Skipped files are named on stderr whatever stdout is (a terminal, a pipe, a CI log), also with
    # --quiet: a file that was not read must never pass unnoticed.
    for skip in info["skipped"]:
        print(f"overgeslagen: {skip['file']}: {skip['reason']}" + (f" — {skip['fix']}" if skip["fix"] else ""),
              file=sys.stderr)
    if not args.quiet:
        for warning in info["warnings"]:
            print(f"let op: {warning}", file=sys.stderr)
        from .outputs import counted

        themes = counted(counts["themes"], "thema", "thema's")
        print(f"{counted(counts['files_read'], 'bestand', 'bestanden')} gelezen ({counts['files_skipped']} overgeslagen), "
              f"{counted(counts['documents'], 'document', 'documenten')} uit {counts['cases']} cases, "
              f"{counted(counts['segments'], 'fragment', 'fragmenten')}, {themes}; "
              f"{counted(counts['unassigned'], 'fragment', 'fragmenten')} niet toegewezen. "
              f"Tijd: {info['seconds']['total_before_write']:.1f} s.")
        # "cases", the word of Dutch qualitative research: a case may be a city, a section or a party
        print("cases: " + ", ".join(sorted(result.documents["case"].unique())))
        if result.comparison:  # --compare-with: the statuses at a glance; the rest is in vergelijking.csv
            counts = result.comparison["vergelijking"]["status"].value_counts()
            print(f"vergeleken met {Path(result.info['comparison']['earlier_run']).name}: "
                  + ", ".join(f"{n} {status}" for status, n in counts.items()) + " (vergelijking.csv)")
    print(result.run_dir)
    return 0


def _regenerate(args) -> int:
    from .outputs import regenerate

    try:
        written = regenerate(args.run_dir, args.overrides)
    except PipelineError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _zoek(args) -> int:
    from .search import COLUMNS, search_hits

    try:
        hits = search_hits(args.run_dir, tekst=args.tekst, fragment=args.fragment, top=args.top)
    except PipelineError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")
    for note in hits.attrs.get("let_op", []):  # on stderr, so a CSV on stdout stays a clean table
        print(f"let op: {note}", file=sys.stderr)
    if args.format == "csv":
        hits[COLUMNS].to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.3f")
        return 0
    if hits.empty:
        print("geen treffers: de run heeft geen andere fragmenten met inhoud")
    for hit in hits.itertuples(index=False):
        # the order: rank, segment_id, case, theme_id, score, then the sentence (and where it is)
        # the offsets point into the run's texts/ file (pseudonymised), not into the source file;
        # a sheet row or page is named with its source file, as the report does
        source = f"{hit.source_file}, {hit.location}; " if hit.location else ""
        print(f"{hit.rank:>3}. {hit.segment_id}  {hit.case}  {hit.theme_id or '(geen thema)'}  {hit.score:.2f}"
              f"  [{source}{hit.text_file} {hit.start_char}-{hit.end_char}]")
        print(f"     {' '.join(str(hit.sentence).split())}")  # a sentence across a line break stays one line
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
