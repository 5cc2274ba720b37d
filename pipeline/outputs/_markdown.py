"""The run's tables -> the Dutch summary (summary.md).

`summary_markdown(tables)` says in Markdown what report.html says: it lays out the same report
context (`_context.report_context`): overview of corpus, cities and sessions, a theme x city table
of counts, per theme its label, description, key phrases, prevalence in Dutch quantifier words,
quotes with city and source, the mechanisms that cross it and the practices under it, a mechanisms
section, practices per city and a method appendix (settings, versions, skipped files and why). It
holds no timestamp, run id or timings, so the same tables give the same bytes (a rerun from the
cache writes an identical summary.md).
"""

from __future__ import annotations

from ..store import RunTables
from ._context import report_context
from ._wording import listing

__all__ = ["summary_markdown"]


def _cell(value) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list], right: set[int] = frozenset()) -> list[str]:
    """A Markdown table; columns in `right` are right-aligned (numbers)."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _reference(item: dict) -> str:
    """'gent/gent_tafel1.pdf:0012, p. 2': the segment id (the key of segments.csv, which starts
    with the file) and the page or sheet row when known; '' when neither file nor id is known."""
    if not item.get("ref"):
        return ""
    return item["ref"] + (f", {item['location']}" if item.get("location") else "")


def _quote_source(q: dict) -> str:
    """'Gent, gent/gent_tafel1.pdf:0012, p. 2 (Brugfiguur)': city and fragment first, as the tests read them."""
    where = q["case"]
    if _reference(q):
        where += f", {_reference(q)}"
    if q.get("speaker"):
        where += f" ({q['speaker']})"
    return where


def _overview(ctx: dict) -> list[str]:
    counts, noun = ctx["counts"], ctx["noun"]
    cases = ctx["cases"]
    figures = {what: value for value, what in ctx["figures"]}
    n_themes = figures["thema's"]
    n_mechanisms, n_practices = (ctx["not_available"] if figures[k] == "—" else figures[k]
                                 for k in ("mechanismen", "praktijken"))
    lines = [
        "## Overzicht", "",
        f"Dit overzicht bundelt wat er in de {ctx['sources']} over de {noun.plural} heen "
        "terugkomt. Een thema is een groep tekstfragmenten die inhoudelijk op elkaar lijken; het gewicht van een "
        f"thema zit in hoeveel {noun.plural} het terugkeert, niet in één sterk verhaal. report.html in dezelfde map "
        "toont hetzelfde als opgemaakt rapport.", "",
        f"Analyse van {figures['documenten']} documenten uit {noun(ctx['n_cases'])}"
        + (f" ({listing(cases)})" if cases else "")
        + (f", corpus ‘{ctx['corpus_name']}’" if ctx["corpus_name"] else "") + ".", "",
        f"- Tekstfragmenten: {counts.get('segments', '?')}, waarvan {counts.get('analysed', '?')} uitspraken van "
        f"deelnemers{ctx['other_language']}; {ctx['coverage']}"
        + (" (zie de bijlage; in segments.csv staat bij elk fragment waarom)." if counts.get("unassigned") != "0" else "."),
        f"- Thema's: {n_themes}; mechanismen: {n_mechanisms}; praktijken: {n_practices}.",
    ] + ([f"- {ctx['unanalysed']}"] if ctx["unanalysed"] else []) + [
        "", "### Sessies", "",
    ]
    if ctx["sessions"]:
        lines += _table(["Soort", "Documenten", noun.Plural, "Onderwerpen"],
                        [[s["name"], s["documents"], s["n_cases"], "; ".join(s["topics"]) or "—"]
                         for s in ctx["sessions"]], right={1, 2})
    else:
        lines.append("Geen documenten.")
    lines += ["", "### Leeswijzer", "",
              f"Hoe vaak iets terugkomt, staat in woorden zoals in het rapport van 2019. Bij {noun(ctx['n_cases'])} "
              "betekent:", ""]
    lines += [f"- **{s['word']}**: {s['range']}" for s in ctx["scale"]]
    lines += ["", f"Citaten zijn letterlijk overgenomen uit {ctx['texts']}, met {noun.singular} en fragment (bronbestand:nummer, de "
                  "sleutel van segments.csv, waar ook de plaats in de tekst staat); namen van personen zijn vooraf "
                  "gepseudonimiseerd.", ""]
    return lines


def _theme_by_city(ctx: dict) -> list[str]:
    heat, one = ctx["heatmap"], ctx["noun"].singular
    lines = [f"## Thema's per {one}", ""]
    if not heat["rows"]:
        return lines + [ctx["no_themes"], ""]
    lines += [f"Aantal fragmenten per thema en per {one}; · betekent dat het thema er niet ter sprake kwam.", ""]
    n = len(heat["cases"])
    rows = [[f"{r['id']} · {r['label']}"] + [c["value"] or "·" for c in r["cells"]]
            + [f"{r['n_cases']}/{ctx['n_cases']}", r["n_segments"]] for r in heat["rows"]]
    rows.append([f"**Totaal per {one}**"] + heat["totals"] + ["", sum(r["n_segments"] for r in heat["rows"])])
    # long case names shortened as in report.html; the overview above lists them in full
    lines += _table(["Thema"] + heat["heads"] + [ctx["noun"].plural, "fragm."], rows, right=set(range(1, n + 3)))
    if ctx["plots"]:
        lines += ["", "Figuren (SVG, ook als PNG in dezelfde map): "
                  + "; ".join(f"[{p['title']}]({p['svg']})" for p in ctx["plots"]) + "."]
    more = ctx["noun"].plural
    lines += ["", f"Hieronder per thema: een korte beschrijving uit de gegevens, in hoeveel {more} het terugkomt, de "
                  f"kernwoorden, citaten uit verschillende {more}, de mechanismen die het thema doorkruisen en de "
                  f"praktijken die {more} erbij noemden.", ""]
    return lines


def _theme(t: dict, ctx: dict) -> list[str]:
    not_available, noun = ctx["not_available"], ctx["noun"]
    lines = [f"## {t['id']} · {t['label']}", ""]
    if t["note"]:
        lines += [f"*Aangepast door de analist: {t['note']}.*", ""]
    cities = f"{noun.Plural}: {listing(t['cases'])}." if t["cases"] else f"In geen van de {noun.plural}."
    if t["absent"] and t["cases"]:
        cities += f" Niet in: {listing(t['absent'])}."
    lines += [t["description"], "",
              f"Dit thema komt voor {t['prevalence']}, in {t['fragments']}. {cities}", ""]
    if t["terms"]:
        lines += [f"Kernwoorden: {', '.join(t['terms'])}.", ""]
    lines += ["Citaten:", ""]
    if not t["quotes"]:
        lines += ["Geen citaten.", ""]
    for q in t["quotes"]:
        lines += [f"> «{q['text']}»", f"> — {_quote_source(q)}", ""]
    if t["mechanisms"] is None:
        lines += [f"Mechanismen: {not_available}.", ""]
    elif t["mechanisms"]:
        lines += ["Mechanismen die dit thema doorkruisen:", ""]
        lines += [f"- {m['id']} · {m['label']} ({m['in_cases']})" for m in t["mechanisms"]]
        lines.append("")
    else:
        lines += ["Geen mechanisme doorkruist dit thema.", ""]
    if t["practices"] is None:
        lines += [f"Praktijken: {not_available}.", ""]
    elif t["practices"]:
        lines += ["Praktijken:", ""]
        lines += [f"- **{p['name']}** ({p['case']}): {p['text']}" + (f" — {_reference(p)}" if _reference(p) else "")
                  for p in t["practices"]]
        lines.append("")
    else:
        lines += ["Bij dit thema werden geen praktijken genoemd.", ""]
    return lines


def _absent(title: str, items, what: str, ctx: dict) -> list[str] | None:
    """The whole section when its table is missing from the run or empty, else None."""
    if items is None:
        return [f"## {title}", "", f"{what.capitalize()}: {ctx['not_available']}.", ""]
    if not items:
        return [f"## {title}", "", f"In deze run werden geen {what} gevonden.", ""]
    return None


def _mechanisms_section(ctx: dict) -> list[str]:
    mechanisms = ctx["mechanisms"]
    screening = [ctx["mechanism_screening"], ""] if ctx.get("mechanism_screening") else []
    empty = _absent("Mechanismen", mechanisms, "mechanismen", ctx)
    if empty:
        return empty + (screening if mechanisms is not None else [])
    noun = ctx["noun"]
    lines = ["## Mechanismen", ""]
    lines += [f"Een mechanisme is een patroon dat over thema's en {noun.plural} heen terugkomt: hoe iets loopt, niet "
              "waarover het gaat.", ""] + screening
    for m in mechanisms:
        head = f"### {m['id']} · {m['label']}" if m["id"] else f"### {m['label']}"
        spread = f"Komt voor {m['prevalence']}" + (f", in {m['fragments']}" if m["n_segments"] else "") + "."
        if m["cases"]:
            spread += f" {noun.Plural}: {listing(m['cases'])}."
        lines += [head, ""] + ([f"*{m['analyst'][0].upper()}{m['analyst'][1:]}.*", ""] if m.get("analyst") else []) \
            + [spread, ""]
        if m["themes"]:
            lines += ["Doorkruist de thema's: " + "; ".join(f"{th['id']} · {th['label']}" for th in m["themes"]) + ".", ""]
        if m["quotes"]:
            lines += [f"Uit {ctx['texts']}:", ""]
            for q in m["quotes"]:
                function = f"({q['function']}) " if q.get("function") else ""
                lines.append(f"- {function}«{q['text']}» — {_quote_source(q)}")
            lines.append("")
    return lines


def _practices_section(ctx: dict) -> list[str]:
    groups, noun = ctx["practices_by_case"], ctx["noun"]
    empty = _absent(f"Praktijken per {noun.singular}", groups, "praktijken", ctx)
    if empty:
        return empty
    lines = [f"## Praktijken per {noun.singular}", ""]
    lines += [f"Praktijken die {noun.plural} zelf noemden, zoals de blauwe kaders in het rapport van 2019.", ""]
    for group in groups:
        lines += [f"### {group['case']}", ""]
        for p in group["practices"]:
            theme = f" ({p['theme_id']} · {p['theme_label']})" if p["theme_label"] else ""
            source = f" — {_reference(p)}" if _reference(p) else ""
            lines.append(f"- **{p['name']}**{theme}: {p['text']}{source}")
        lines.append("")
    return lines


def _overrides(o: dict, mechanism_lines: list[str]) -> list[str]:
    """What the analyst's overrides file changed, as a list: theme lines, then mechanism lines."""
    if not o and not mechanism_lines:
        return ["Geen: de thema's staan zoals de analyse ze vond.", ""]
    name = str(o.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1]
    lines = [f"Toegepast uit {name}:" if name else "Toegepast:", ""]
    lines += [f"- {tid} hernoemd tot ‘{label}’" for tid, label in o.get("rename", {}).items()]
    lines += [f"- {', '.join(g[1:])} samengevoegd in {g[0]}" for g in o.get("merge", [])]
    lines += [f"- {tid} uitgesloten" for tid in o.get("exclude", [])]
    if o.get("excluded_segments"):
        lines.append(f"- {o['excluded_segments']} fragmenten werden daardoor niet meer toegewezen")
    lines += [f"- mechanisme {line}" for line in mechanism_lines]
    lines += [f"- {w}" for w in o.get("warnings", [])]
    return lines + [""]


def _method(ctx: dict) -> list[str]:
    method = ctx["method"]
    n_themes = method["n_themes_model"] or len(ctx["themes"])
    how = (f"{ctx['texts'].capitalize()} werden ingelezen ({method['files_read']}) en opgesplitst "
           f"in sprekersbeurten, vraag-en-antwoordblokken of alinea's. {ctx['leaders']}, titels"
           + (", de aanwezigheidslijst en uitspraken in een andere taal" if ctx["other_language"] else " en de aanwezigheidslijst")
           + " bleven buiten de analyse. Elk fragment kreeg lemma's (woordstammen) en ")
    if method["embed_backend"] != "none":
        how += f"een betekenisvector per zin, berekend met {method['embed_backend']}"
    else:
        how += "geen betekenisvectoren (alleen de woorden telden)"
    how += f"; op basis daarvan werden de fragmenten gegroepeerd in {n_themes} thema's"
    how += ", waarbij het aantal thema's automatisch werd gekozen." if method["k_auto"] else "."
    if method["outlier_quantile"]:  # 0 or unknown: every segment with content got a theme
        how += (f" De {round(float(method['outlier_quantile']) * 100)}% minst typische fragmenten werden aan geen "
                "enkel thema toegewezen.")
    how += (" Het label van een thema is een woordgroep uit zijn eigen fragmenten; de kernwoorden zijn de woorden die "
            "het thema het sterkst van de andere onderscheiden. Beide zijn een startpunt voor de analist, geen "
            "eindoordeel.")
    if method.get("ids_note"):
        how += " " + method["ids_note"]
    lines = ["## Bijlage: werkwijze", "", "### Hoe de thema's tot stand kwamen", "", how, ""]
    if method.get("k_choice"):
        lines += ["### Hoe het aantal thema's gekozen werd", "", method["k_choice"]["how"], ""]
        lines += _table(["Aantal thema's", "Modulariteit", "Criterium", ""], method["k_choice"]["rows"], right={0, 1, 2})
        lines.append("")
    lines += ["### Hoe de mechanismen tot stand kwamen", "", method["mechanisms_how"], ""]
    if ctx.get("changes"):
        lines += ["### Hoe de rondes vergeleken werden", "", ctx["changes"]["method"], ""]
    lines += ["### Aanpassingen door de analist", ""]
    lines += _overrides(method["overrides"], method["mechanism_lines"])
    if method.get("overrides_note"):
        lines += [method["overrides_note"], ""]
    lines += ["### Niet geanalyseerde fragmenten", ""]
    if method["excluded"]:
        lines += _table(["Reden", "Betekenis", "Fragmenten"],
                        [[e["reason"], e["explained"] or "—", e["n"]] for e in method["excluded"]], right={2})
    else:
        lines.append("Alle fragmenten werden geanalyseerd.")
    lines += ["", "### Overgeslagen bestanden", ""]
    if method["skipped"]:
        lines += _table(["Bestand", "Waarom", "Oplossing"],
                        [[s.get("file", ""), s.get("reason", ""), s.get("fix", "") or "—"] for s in method["skipped"]])
    else:
        lines.append("Geen: alle bestanden werden gelezen.")
    lines.append("")
    if method["warnings"]:
        lines += ["### Opmerkingen bij het inlezen", ""] + [f"- {_cell(w)}" for w in method["warnings"]] + [""]
    lines += ["### Versies", ""]
    lines += _table(["Onderdeel", "Versie"], [list(v) for v in method["versions"]]) if method["versions"] else ["—"]
    lines += ["", "### Instellingen", "",
              "Mappen staan hier alleen met hun naam; de volledige paden staan in run.json.", ""]
    lines += _table(["Instelling", "Waarde"], [list(c) for c in method["config"]]) if method["config"] else ["—"]
    lines += ["", "---", "",
              "Gemaakt met stadsgenoten. De tabellen achter dit overzicht (segments.csv, themes.csv, matrix.csv) en "
              "alle instellingen staan in dezelfde runmap; run.json bevat ook de rekentijd per stap, de versies en de "
              "controlesommen van de invoerbestanden.", ""]
    return lines


def _bar(width: float) -> str:
    return "█" * max(0, round(width / 10)) or "·"


def _changes_section(ctx: dict) -> list[str]:
    """'Wat is er veranderd sinds ...': first in the summary when the run was compared with an earlier round."""
    ch = ctx.get("changes")
    if not ch:
        return []
    lines = [f"## Wat is er veranderd sinds {ch['since']}", "",
             f"Vergeleken met de vorige ronde (run {ch['earlier_run']}): {ch['summary']}. "
             "De aantallen staan in vergelijking.csv; elk fragment draagt zijn thema in segments.csv.", ""]
    lines += [f"**Let op:** {w}." for w in ch["warnings"]] + ([""] if ch["warnings"] else [])
    header = ["thema", "status", "vorige ronde", "nu", "", "verschil (95 %-interval)", "fragmenten", ctx["noun"].plural]

    def rows(items):
        return [[f"{r['label']} ({r['theme_id']})", r["status"], r["before"], r["now"],
                 f"{_bar(r['w_before'])} → {_bar(r['w_now'])}", r["interval"], r["segments"], r["cases"]]
                for r in items]
    if ch["certain"]:
        lines += ["### Duidelijke veranderingen", ""] + _table(header, rows(ch["certain"]), {2, 3, 6}) + [""]
    if ch["uncertain"]:
        lines += ["### Onzeker: zichtbaar verschil, maar niet hard te maken", ""]
        lines += _table(header, rows(ch["uncertain"]), {2, 3, 6}) + [""]
    if ch["stable"]:
        lines += ["Stabiel: " + "; ".join(f"{r['label']} ({r['before']} → {r['now']})" for r in ch["stable"]) + ".", ""]
    moved = [r for r in ch["certain"] + ch["uncertain"] + ch["stable"] if r["moved"]]
    if moved:
        lines += ["### Waarover een thema nu spreekt", "",
                  "De woorden die de fragmenten van een thema nu duidelijk vaker of minder zeggen dan in de vorige "
                  "ronde (vergelijking.csv):", ""]
        lines += [f"- {r['label']} ({r['theme_id']}): {r['moved']}." for r in moved] + [""]
    if ch["subjects"]:
        lines += ["### Onderwerpen binnen een thema", "",
                  "Een onderwerp dat verdwijnt of opkomt binnen een thema dat blijft, verandert het aandeel van dat "
                  "thema nauwelijks; hier staan ze apart (vergelijking_onderwerpen.csv, met alle fragmenten).", ""]
        lines += _table(["onderwerp", "status", "binnen thema", "vorige ronde", "nu", "fragmenten",
                         ctx["noun"].plural, "bv. fragmenten"],
                        [[f"{s['label']} ({s['id']})", s["status"], s["theme"], s["before"], s["now"], s["segments"],
                          s["cases"], ", ".join(s["examples"])] for s in ch["subjects"]], {3, 4, 5}) + [""]
    cities = [c for c in ch["cities"] if c["only"] or c["raised"] or c["dropped"]]
    if cities:
        lines += [f"### Per {ctx['noun'].singular}", ""]
        for c in cities:
            if c["only"]:
                lines.append(f"- **{c['case']}**: {c['only']}.")
                continue
            parts = ([f"nieuw aangekaart: {', '.join(c['raised'])}"] if c["raised"] else []) + \
                    ([f"niet meer aangekaart: {', '.join(c['dropped'])}"] if c["dropped"] else [])
            lines.append(f"- **{c['case']}**: " + "; ".join(parts) + ".")
        lines.append("")
    for title, items in (("Mechanismen", ch["mechanisms"]), ("Praktijken", ch["practices"])):
        if items:
            lines += [f"**{title}:** " + "; ".join(f"{status}: {n}" + (f" ({' / '.join(names)})" if names else "")
                                                 for status, n, names in items) + ".", ""]
    lines += ["Hoe groei en krimp getoetst worden: zie *Bijlage: werkwijze*.", ""]
    return lines


def summary_markdown(tables: RunTables, context: dict | None = None) -> str:
    """The run summary in Dutch Markdown, from the same context as report.html (see module docstring);
    `context` = report_context(tables) when the caller already has it."""
    ctx = context or report_context(tables)
    lines = [f"# {ctx['title']}", ""]
    lines += _changes_section(ctx)
    lines += _overview(ctx)
    lines += _theme_by_city(ctx)
    for theme in ctx["themes"]:
        lines += _theme(theme, ctx)
    lines += _mechanisms_section(ctx)
    lines += _practices_section(ctx)
    lines += _method(ctx)
    return "\n".join(lines).rstrip() + "\n"
