"""report.html in a real browser: headless Chromium loads it offline, without console errors.

Needs Debian's `chromium` (and `chromium-driver`, installed alongside by the test set-up); the
tests skip, saying so, only when no Chromium is installed. The screenshot of the report is saved
as screenshot.png in the run folder, for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pipeline.outputs import NOT_AVAILABLE, regenerate
from pipeline.store import load_run

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and Path(p).is_file()), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium chromium-driver)")

SECTIONS = ("overzicht", "thema-per-stad", "themas", "mechanismen", "praktijken", "werkwijze")
_CONSOLE = re.compile(r":CONSOLE[^\]]*\]\s*(.*)")


def open_in_chromium(html: Path, screenshot: Path, profile: Path, height: int = 2000) -> tuple[str, list[str]]:
    """Load `html` from disk in headless Chromium; returns (DOM after load, console messages)
    and writes a 1280 px wide screenshot. No network: the report must not need any."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        f"--screenshot={screenshot}", f"--window-size=1280,{height}", "--dump-dom", html.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"chromium exited with {done.returncode}:\n{done.stderr[-3000:]}"
    console = [m.group(1) for m in map(_CONSOLE.search, done.stderr.splitlines()) if m]
    return done.stdout, console


def test_console_messages_are_caught(tmp_path):
    """The harness itself: a page that logs and fails is seen as such."""
    page = tmp_path / "kapot.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><body><p>x</p><script>console.error("kapot"); nietGedefinieerd();'
                    '</script><img src="ontbreekt.png"></body></html>', encoding="utf-8")
    _, console = open_in_chromium(page, tmp_path / "kapot.png", tmp_path / "profile")
    text = "\n".join(console)
    assert "kapot" in text and "nietGedefinieerd" in text


def add_mechanisms_and_practices(run_dir: Path) -> None:
    """Hand-made mechanisms.csv, mechanism_evidence.csv and practices.csv in the run folder."""
    tables = load_run(run_dir)
    assigned = tables.segments[tables.segments["theme_id"] != ""]
    first, second = assigned.iloc[0], assigned.iloc[1]
    pd.DataFrame({
        "mechanism_id": ["M01"], "label": ["Signalen van de werkvloer raken niet tot bij het beleid"],
        "n_cases": [2], "cases": [f"{first['case']}; {second['case']}"],
        "themes": [f"{first['theme_id']}; {second['theme_id']}"], "n_segments": [2],
        "example_segment_ids": [f"{first['segment_id']};{second['segment_id']}"],
    }).to_csv(run_dir / "mechanisms.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({
        "mechanism_id": ["M01", "M01"], "segment_id": [first["segment_id"], second["segment_id"]],
        "case": [first["case"], second["case"]], "text": [first["text"], second["text"]],
        "function": ["oorzaak", "gevolg"],
    }).to_csv(run_dir / "mechanism_evidence.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({
        "practice": ["Taalmaatjes <in de bib>"], "case": [first["case"]], "theme_id": [first["theme_id"]],
        "source_file": [first["source_file"]], "segment_id": [first["segment_id"]], "text": [first["text"]],
    }).to_csv(run_dir / "practices.csv", index=False, encoding="utf-8-sig")


@pytest.mark.parametrize("with_mechanisms", [False, True], ids=["themes-only", "with-mechanisms"])
def test_report_opens_in_chromium_without_errors(run_dir, tmp_path, with_mechanisms):
    themes = load_run(run_dir).themes
    if with_mechanisms:
        add_mechanisms_and_practices(run_dir)
    else:  # a run folder from before the mechanisms stage existed
        for name in ("mechanisms.csv", "mechanism_evidence.csv", "practices.csv"):
            (run_dir / name).unlink(missing_ok=True)
    regenerate(run_dir)
    screenshot = run_dir / "screenshot.png"
    dom, console = open_in_chromium(run_dir / "report.html", screenshot, tmp_path / "profile")

    assert console == [], "console messages while loading report.html:\n" + "\n".join(console)
    for section in SECTIONS:
        assert f'<section id="{section}"' in dom, f"section {section} missing in the rendered page"
    for theme_id in themes["theme_id"]:
        assert f'id="thema-{theme_id}"' in dom
    assert dom.count("<blockquote>") >= len(themes)
    # the figures by relative links (a CSP that blocked them would have logged to the console)
    images = re.findall(r'<img src="([^"]+)"', dom)
    assert {"plots/heatmap.svg", "plots/theme_sizes.svg"} <= set(images)
    assert ("plots/mechanism_spread.svg" in images) == with_mechanisms
    assert all((run_dir / image).is_file() for image in images), images
    if with_mechanisms:
        assert 'id="mechanisme-M01"' in dom and 'class="practice"' in dom
        assert "Taalmaatjes &lt;in de bib&gt;" in dom
        assert NOT_AVAILABLE not in dom
        assert (run_dir / "plots" / "mechanism_spread.svg").is_file()
    else:
        assert NOT_AVAILABLE in dom

    assert screenshot.is_file()
    png = screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a real page, not a blank one
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 2000)
