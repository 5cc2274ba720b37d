"""Issue "Stays local": interview data never leaves the machine.

1. The full analysis (default settings, sentence embeddings included) runs with the network blocked
   in-process, and no socket is even created (Python's audit events are watched during the run).
2. No module of the package imports a networking library (checked on the source's AST).
"""

from __future__ import annotations

import ast
import socket
import sys
from pathlib import Path

import pytest

from pipeline import load_config

from pipeline import run

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

NETWORK_MODULES = {
    "socket", "ssl", "urllib", "urllib3", "requests", "httpx", "http", "aiohttp", "ftplib", "smtplib",
    "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket", "websockets", "paramiko", "huggingface_hub",
}
# Audit events (https://docs.python.org/3/library/audit_events.html) that mean network use.
NETWORK_EVENTS = ("socket.", "urllib.", "http.client.", "ftplib.", "smtplib.", "poplib.", "imaplib.",
                  "telnetlib.", "webbrowser.")


class NetworkBlocked(RuntimeError):
    pass


_AUDIT: dict[str, list] = {"events": [], "on": []}


# The one socket a dependency makes: `import spacy` imports requests -> urllib3, whose import probes
# for IPv6 by binding a socket to ::1 port 0 (`urllib3.util.connection._has_ipv6`). Loopback only,
# never connected, no traffic; allowed by name, everything else is reported.
_ALLOWED = {("socket.__new__", "_has_ipv6"), ("socket.bind", "_has_ipv6")}


def _audit(event: str, args) -> None:
    if _AUDIT["on"] and event.startswith(NETWORK_EVENTS):
        caller = sys._getframe(1)
        while caller is not None and caller.f_code.co_filename.endswith("socket.py"):
            caller = caller.f_back
        where = caller.f_code.co_name if caller is not None else ""
        if (event, where) in _ALLOWED and "urllib3" in caller.f_code.co_filename:
            return
        _AUDIT["events"].append((event, where, repr(args)[:200]))


@pytest.fixture
def no_network(monkeypatch):
    """Every way to the network raises; socket audit events are recorded while the test runs."""

    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    if not getattr(sys, "_stadsgenoten_audit", False):  # audit hooks cannot be removed: add once
        sys.addaudithook(_audit)
        sys._stadsgenoten_audit = True
    _AUDIT["events"].clear()
    _AUDIT["on"].append(True)
    yield _AUDIT["events"]
    _AUDIT["on"].clear()


def test_the_blocker_works(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("example.org", 443), timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 443)
    assert no_network == []
    with pytest.raises(NetworkBlocked), socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect(("192.0.2.1", 80))
    assert [event for event, *_ in no_network] == ["socket.__new__"]  # the audit hook saw the socket
    no_network.clear()


def test_full_analysis_runs_offline(small_corpus, tmp_path, no_network):
    # Default settings: multilingual sentence encoder, automatic number of themes.
    result = run(load_config(**{"corpus.path": str(small_corpus), "output.out_dir": str(tmp_path / "out")}))
    assert result.info["config"]["embed"]["backend"] == "use"
    assert result.embeddings is not None and result.embeddings.shape[0] == result.info["counts"]["clustered"]
    assert result.info["counts"]["themes"] >= 2
    assert (result.run_dir / "run.json").is_file()
    assert no_network == [], f"network activity during the run: {no_network[:5]}"


def _imports(tree: ast.AST):
    """(module name, line) of every import, and of __import__/import_module calls with a constant."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("__import__", "import_module"):
                yield node.args[0].value, node.lineno


def test_no_module_imports_a_network_library():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    found = [f"{path.name}:{line}: {name}"
             for path in modules
             for name, line in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
             if name.split(".")[0] in NETWORK_MODULES]
    assert found == [], "network libraries imported in the package: " + "; ".join(found)


def test_the_static_check_finds_network_imports():
    tree = ast.parse("import socket\nfrom urllib.request import urlopen\nimport http.client\n"
                     "importlib.import_module('requests')\n__import__('httpx')\nimport json\n")
    assert sorted(name for name, _ in _imports(tree)) == ["http.client", "httpx", "json", "requests", "socket",
                                                         "urllib.request"]
