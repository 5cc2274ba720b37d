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
    run = sub.add_parser("run", help="analyseer een corpus en schrijf een nieuwe runmap",
                         description="Analyseer een corpusmap (notities + manifest.csv) of één spreadsheet met "
                                     "schriftelijke antwoorden, en schrijf een nieuwe map onder --out.",
                         epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--corpus", metavar="PAD",
                     help=f"een map met notities en manifest.csv, of een .xlsx/.csv-bestand "
                          f"(standaard: de democorpus {DEMO_CORPUS})")
    run.add_argument("--out", metavar="MAP", help="map waarin de runmappen komen (standaard: outputs/)")
    run.add_argument("--config", metavar="BESTAND", help="een YAML-configuratiebestand (zie config.example.yaml)")
    run.add_argument("--text-column", metavar="NAAM", help="kolom met de antwoordtekst (standaard: Antwoord)")
    run.add_argument("--case-column", metavar="NAAM", help="kolom met de stad of case (standaard: Stad)")
    run.add_argument("--question-column", metavar="NAAM", help="kolom met de vraag (standaard: Vraag; '' voor geen)")
    run.add_argument("--case-noun", metavar="ENKELVOUD/MEERVOUD",
                     help="hoe rapport, samenvatting en werkboek de cases noemen (standaard: 'stad/steden'; bv. "
                          "'ministerie/ministeries', 'sectie/secties', 'partij/partijen')")
    run.add_argument("--seed", type=int, help="toevalszaad voor het clusteren (standaard: 13)")
    run.add_argument("--n-themes", metavar="N|auto", help="aantal thema's, of 'auto' (standaard)")
    run.add_argument("--mechanism-codebook", metavar="BESTAND",
                     help="codeer uitspraken eerst met bekende mechanismen (YAML met begrippen en "
                          "mechanismen; voorbeeld: codebooks/stadsgenoten_2019_mechanismen.yaml); "
                          "zonder komen de mechanismen "
                          "uit de notities")
    run.add_argument("--codebook", metavar="BESTAND",
                     help="geleid: een codeboek (YAML/CSV) van thema's met beschrijving, zaadwoorden en voorbeelden; "
                          "wat bij geen ervan past, vormt nog nieuwe thema's "
                          "(voorbeeld: codebooks/stadsgenoten_2019.yaml)")
    run.add_argument("--overrides", metavar="BESTAND",
                     help="beslissingen van de analist (YAML): thema's hernoemen, samenvoegen, weglaten; mechanismen "
                          "bevestigen, schrappen, hernoemen, samenvoegen, toevoegen "
                          "(standaard: <out>/overrides.yaml als die er is)")
    run.add_argument("--previous-run", metavar="DIR|latest|none",
                     help="houd de thema-id's van deze eerdere runmap aan "
                          "(standaard: de laatste run van hetzelfde corpus)")
    run.add_argument("--save-model", metavar="NAAM", help="bewaar het themamodel als models/themes/NAAM")
    run.add_argument("--model", metavar="NAAM|MAP",
                     help="codeer dit corpus met een bewaard themamodel (een eerdere ronde) "
                          "in plaats van thema's te zoeken")
    run.add_argument("--compare-with", metavar="RUN_DIR",
                     help="de runmap van een eerdere ronde: codeer deze ronde met haar thema's en "
                          "mechanismen (nieuwe krijgen nieuwe id's) en schrijf vergelijking.csv "
                          "en de sectie 'Wat is er veranderd'")
    run.add_argument("--embeddings", metavar="use|none|DIR",
                     help="zinsvectoren: 'use' (ingebouwd), 'none' (alleen woorden) of een lokale modelmap")
    run.add_argument("--strict", action="store_true", help="stop bij het eerste bestand dat niet bruikbaar is")
    run.add_argument("--no-pseudonymise", action="store_true",
                     help="laat persoonsnamen staan (standaard: vervangen door [Persoon N]; de sleutel staat "
                          "naast de runmap, niet erin)")
    run.add_argument("--quiet", action="store_true", help="geen voortgangsbalken; alleen fouten en de resultaatmap")
    regen = sub.add_parser("regenerate", help="maak samenvatting, rapport, grafieken en exports van een runmap opnieuw",
                           description="Maak summary.md, report.html, grafieken, het werkboek en de REFI-QDA-export "
                                       "van een bestaande runmap opnieuw uit haar tabellen en het overrides-bestand "
                                       "(beslissingen van de analist), zonder opnieuw te ontleden of te clusteren.")
    regen.add_argument("run_dir", metavar="RUN_DIR", help="een runmap, geschreven door `stadsgenoten run`")
    regen.add_argument("--overrides", metavar="BESTAND",
                       help="beslissingen van de analist (YAML; standaard: RUN_DIR/overrides.yaml als die er is)")
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
                    "scores dan een gewoon woord als 'tolken'). Bij --tekst verliest een zin met een ontkenning "
                    "('niet', 'geen', 'nooit', ...) als de zoektekst er geen heeft, of omgekeerd, één "
                    "standaardafwijking. Een zoektekst waarvan de run geen enkel woord "
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
        # "; " as the report lists them: a case may hold commas ("Minister van Financien, belast met …")
        print("cases: " + "; ".join(sorted(result.documents["case"].unique())))
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
