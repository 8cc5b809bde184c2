"""Neo4j Browser support: cypher/browser/ stays in step with the canned queries and the pyvis colours, and a
real Neo4j Browser (served by the local server, driven in headless Chromium) connects, takes the style sheet,
runs a canned query from its Browser file and draws a graph view.

The Browser files are generated from cypher/*.cypher: after editing a canned query, run
`python tests/test_neo4j_browser.py --write` (the sync test fails until you do).
The Browser test needs NEO4J_PASSWORD, the server's Browser on http://127.0.0.1:7474 and Chromium; it loads
examples/ into the server itself, since other tests may wipe the database at any time.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # so `python tests/test_neo4j_browser.py --write` finds kg from a checkout

from kg.queries.canned import CannedQuery, list_queries, parse_params  # noqa: E402
from kg.viz.style import EDGE_COLOURS, NODE_STYLES  # noqa: E402

BROWSER_DIR = REPO / "cypher" / "browser"
STYLE_FILE = BROWSER_DIR / "style.grass"
VIEW_PREFIX = "view-"  # hand-written graph views; every other .cypher here is generated
GENERATED_NOTE = "generated from cypher/{name}.cypher by `python tests/test_neo4j_browser.py --write`"


# ------------------------------------------------------------------------------- Browser files from canned queries

def cypher_literal(value) -> str:
    """A Cypher literal for a `:param x => …` line (the server evaluates it, so ints stay integers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def example_params(query: CannedQuery) -> dict:
    """The parameters of the header's `example:` line (`kg query NAME -p k=v …`), defaults filled in."""
    words = shlex.split(query.example)
    pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-p"]
    return parse_params(query, pairs)


def browser_script(query: CannedQuery) -> str:
    """The Browser version of a canned query: comment header, one `:param` line per parameter, the statement."""
    lines = [f"// kg query {query.name}: {query.purpose}",
             f"// {GENERATED_NOTE.format(name=query.name)}; edit that file, not this one.",
             "// Run the whole script once to set the parameters, then run the statement alone to see its rows",
             "// (see cypher/browser/README.md)."]
    lines += [f":param {name} => {cypher_literal(value)};" for name, value in example_params(query).items()]
    lines.append(query.cypher + ";")
    return "\n".join(lines) + "\n"


def split_script(text: str) -> tuple[list[str], str]:
    """(`:param` lines, statement) of a Browser script, comments dropped: what a user runs in two steps."""
    params, statement = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("//"):
            continue
        (params if line.startswith(":param") else statement).append(line)
    return params, "\n".join(statement).strip()


def write_browser_files() -> list[Path]:
    """Regenerate cypher/browser/<name>.cypher for every canned query; drop stale generated files."""
    written = []
    for query in list_queries():
        path = BROWSER_DIR / f"{query.name}.cypher"
        path.write_text(browser_script(query), encoding="utf-8")
        written.append(path)
    for path in generated_files():
        if path not in written:
            path.unlink()
    return written


def param_value(param_lines: list[str], name: str):
    """The value a `:param NAME => literal;` line sets (string or integer literals, as written by cypher_literal)."""
    for line in param_lines:
        match = re.fullmatch(rf":param\s+{name}\s*=>\s*(.+?);?", line.strip())
        if match:
            literal = match.group(1).strip()
            if literal.startswith("'"):
                return re.sub(r"\\(.)", r"\1", literal[1:-1])
            return int(literal)
    raise KeyError(name)


def generated_files() -> list[Path]:
    return sorted(p for p in BROWSER_DIR.glob("*.cypher") if not p.name.startswith(VIEW_PREFIX))


# ------------------------------------------------------------------------------- GraSS, read the way the Browser does

def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Selector → properties, following the Browser's own reader: no comments, quotes stripped, `k: v;` pairs."""
    rules: dict[str, dict[str, str]] = {}
    selector, body, in_quotes, in_body = "", "", False, False
    for char in text:
        if char in "'\"":
            in_quotes = not in_quotes  # quotes only protect braces; they are not kept
        elif char == "{" and not in_quotes:
            in_body = True
        elif char == "}" and not in_quotes:
            rules[selector], selector, body, in_body = body, "", "", False
        elif in_body:
            body += char
        elif not char.isspace():
            selector += char
    parsed = {}
    for name, declarations in rules.items():
        pairs = [d.split(":") for d in declarations.split(";")]
        parsed[name] = {pair[0].strip(): pair[1].strip() for pair in pairs if len(pair) == 2}
    return parsed


# ------------------------------------------------------------------------------- sync tests (no server needed)

def test_browser_scripts_match_canned_queries():
    queries = list_queries()
    assert queries, "no canned queries found in cypher/"
    stale = [q.name for q in queries
             if not (BROWSER_DIR / f"{q.name}.cypher").is_file()
             or (BROWSER_DIR / f"{q.name}.cypher").read_text(encoding="utf-8") != browser_script(q)]
    orphans = sorted({p.stem for p in generated_files()} - {q.name for q in queries})
    assert not stale and not orphans, (
        f"cypher/browser/ is out of step (stale: {stale}, no canned query: {orphans}); "
        "run `python tests/test_neo4j_browser.py --write`")


def test_browser_script_statement_is_the_canned_statement():
    """Splitting a Browser file the way the README tells users to run it gives back the exact canned query."""
    for query in list_queries():
        params, statement = split_script((BROWSER_DIR / f"{query.name}.cypher").read_text(encoding="utf-8"))
        assert statement.removesuffix(";") == query.cypher
        assert [line.split()[1] for line in params] == [p.name for p in query.params]


def test_param_literals_survive_quotes():
    assert cypher_literal("O'Neil \\ x") == "'O\\'Neil \\\\ x'"
    assert cypher_literal(25) == "25"
    tricky = "O'Neil \\ x"
    assert param_value([":param who => " + cypher_literal(tricky) + ";"], "who") == tricky


def test_style_matches_pyvis_colours_and_captions():
    text = STYLE_FILE.read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text, "the Browser's GraSS reader has no comments"
    rules = parse_grass(text)
    assert "" not in rules, "a stray brace makes an empty selector, which crashes the Browser's graph view"
    for label, style in NODE_STYLES.items():
        rule = rules[f"node.{label}"]
        assert rule["color"].upper() == style.colour.upper(), label
        assert rule["caption"] == ("{title}" if label == "Paper" else "{name}"), label
    for rel_type, colour in EDGE_COLOURS.items():
        rule = rules[f"relationship.{rel_type}"]
        assert rule["color"].upper() == colour.upper(), rel_type
        assert rule["caption"] == "<type>", rel_type
    sizes = {label: int(rules[f"node.{label}"]["diameter"].removesuffix("px")) for label in NODE_STYLES}
    pyvis_order = sorted(NODE_STYLES, key=lambda label: NODE_STYLES[label].size)
    assert sorted(sizes, key=sizes.get)[0] == pyvis_order[0] and max(sizes, key=sizes.get) == pyvis_order[-1]


def test_view_scripts_run_as_parameterised_statements():
    views = sorted(BROWSER_DIR.glob(f"{VIEW_PREFIX}*.cypher"))
    assert views
    for view in views:
        params, statement = split_script(view.read_text(encoding="utf-8"))
        assert params and statement.endswith(";") and statement.count(";") == 1, view.name
        for line in params:
            assert f"${line.split()[1]}" in statement, f"{view.name}: {line} is never used"


# ------------------------------------------------------------------------------- the real Browser

BROWSER_URL = os.environ.get("KG_NEO4J_BROWSER_URL", "http://127.0.0.1:7474/browser/")
BOLT_ADDRESS = "127.0.0.1:7687"
EDITOR = "#monaco-main-editor textarea"
CANNED = "papers-using-method"
VIEW = "view-paper-neighbourhood"
SCREENSHOT = REPO / "test-artifacts" / "neo4j-browser.png"


def _needs_browser_and_server():
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("NEO4J_PASSWORD unset: start scripts/neo4j-local and export it")
    sys.path.insert(0, str(Path(__file__).parent))
    from browser import find_chromium
    if not find_chromium():
        pytest.skip("no Chromium binary (set KG_CHROMIUM or install chromium)")


class NeoBrowser:
    """Steps a user takes in Neo4j Browser, on tests/browser.py's Browser; every wait is bounded."""

    def __init__(self, browser, timeout: float = 30.0):
        self.b, self.timeout = browser, timeout

    def wait_for(self, expression: str, what: str, timeout: float | None = None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.b.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; page errors: {self.errors()[-3:]}")
            self.b._pump(0.2)

    def errors(self) -> list[str]:
        report = self.b._report
        return [e for e in (report.console_errors if report else []) if "net::ERR_" not in e]

    def type_into(self, selector: str, text: str) -> None:
        """Focus a field and insert text as real input (React sees it); the text never enters a JS source."""
        self.b.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                        " e.focus(); e.select(); return true; })()")
        self.b._call("Input.insertText", {"text": text})

    def connect(self, username: str) -> None:
        self.wait_for("!!document.querySelector('[data-testid=password]')", "the connect form")
        self.b.evaluate("""(() => { const s = document.querySelector('[data-testid=bolt-scheme-select]');
            Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, 'bolt://');
            s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()""")
        self.type_into("[data-testid=boltaddress]", BOLT_ADDRESS)
        self.type_into("[data-testid=username]", username)
        self.type_into("[data-testid=password]", os.environ["NEO4J_PASSWORD"])
        self.b.evaluate("document.querySelector('[data-testid=connect]').click()")
        self.wait_for("/connected as user/i.test(document.querySelector('[data-testid=stream]').innerText)",
                      "the 'connected as user' frame")

    def run(self, text: str) -> None:
        """Paste into the main editor (typing would let Monaco auto-close brackets) and press the run button."""
        frames_before = self.b.evaluate("document.querySelectorAll('[data-testid=frame]').length")
        self.b.evaluate(f"""(() => {{ const t = document.querySelector({json.dumps(EDITOR)}); t.focus();
            const data = new DataTransfer(); data.setData('text/plain', {json.dumps(text)});
            t.dispatchEvent(new ClipboardEvent('paste', {{clipboardData: data, bubbles: true, cancelable: true}}));
            return true; }})()""")
        self.b.evaluate("document.querySelector('[data-testid=editor-Run]').click()")
        self.wait_for(f"document.querySelectorAll('[data-testid=frame]').length > {frames_before}"
                      " || document.querySelector('[data-testid=frame] [data-testid=frameCommand]')"
                      f"?.innerText.replace(/\\s+/g, ' ').trim() === {json.dumps(' '.join(text.split()))}",
                      "a result frame")
        command = self.b.evaluate("document.querySelector('[data-testid=frame] [data-testid=frameCommand]')"
                                  ".innerText")
        assert " ".join(command.split()) == " ".join(text.split()), "the editor changed what was pasted"

    def top_frame(self, expression: str) -> str:
        return f"(() => {{ const frame = document.querySelector('[data-testid=frame]'); return {expression}; }})()"

    def statement_statuses(self, count: int) -> list[str]:
        """Outcome of each statement of a multi-statement run in the newest frame, once none is still running."""
        return self.wait_for(self.top_frame(f"""(() => {{
            const state = [...frame.querySelectorAll('[data-testid=multi-statement-list-icon]')]
                .map(icon => (icon.getAttribute('title') || '').replace('Status: ', ''));
            return state.length === {count} && !state.some(s => ['pending', 'waiting'].includes(s)) ? state : null;
            }})()"""), f"{count} statements to finish")

    def table_column(self, name: str) -> list[str]:
        """Cells of the column headed `name` in the newest frame's result table, top to bottom."""
        return self.wait_for(self.top_frame(f"""(() => {{
            const table = frame.querySelector('table'); if (!table) return null;
            const heads = [...table.querySelectorAll('th')].map(th => th.innerText.trim());
            const at = heads.indexOf({json.dumps(name)}); if (at < 0) return null;
            return [...table.querySelectorAll('tr')].slice(1).map(row => {{
                const cells = [...row.querySelectorAll('td')];  // a row-number cell may come first
                return cells[cells.length - heads.length + at]?.innerText.trim(); }}); }})()"""),
            f"a result table with a {name!r} column")

    def graph_nodes(self, minimum: int) -> list[dict]:
        return self.wait_for(self.top_frame(f"""(() => {{
            const nodes = [...frame.querySelectorAll('svg g.node')].map(g => ({{
                fill: g.querySelector('circle.b-outline')?.getAttribute('fill') || '',
                r: Number(g.querySelector('circle.b-outline')?.getAttribute('r') || 0),
                caption: [...g.querySelectorAll('text.caption')].map(t => t.textContent.trim()).join(' ')}}));
            return nodes.length >= {minimum} ? nodes : null; }})()"""), f"at least {minimum} drawn nodes")


@pytest.fixture(scope="module")
def examples_in_neo4j(tmp_path_factory):
    """Load examples/ into the server through the real CLI; returns (driver, database, local graph)."""
    _needs_browser_and_server()
    from click.testing import CliRunner

    from kg.cli import main
    from kg.store import LocalStore
    from kg.store.neo4j import Neo4jSettings, connect

    store = tmp_path_factory.mktemp("browser-store")
    result = CliRunner().invoke(main, ["--store", str(store), "load", str(REPO / "examples"), "--neo4j"],
                                env={"KG_SPACY_MODEL": "rules"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    settings = Neo4jSettings.from_env(os.environ, dotenv=None)
    driver = connect(settings)
    try:
        yield driver, settings.database, LocalStore(store).load_graph()
    finally:
        driver.close()


def _titles_linked_to(graph, label: str, name: str) -> set[str]:
    """Titles of example papers with an edge to the `label` node called `name` (from the local store)."""
    targets = {n for n, d in graph.nodes(data=True) if d.get("label") == label and d.get("name", "").lower() == name.lower()}
    return {graph.nodes[s]["title"] for s, t in graph.edges() if t in targets and graph.nodes[s]["label"] == "Paper"}


@pytest.mark.neo4j
@pytest.mark.browser
def test_neo4j_browser_runs_canned_query_and_draws_styled_graph(examples_in_neo4j):
    from browser import Browser

    from kg.queries.canned import get_query, run_neo4j

    driver, database, graph = examples_in_neo4j
    query = get_query(CANNED)
    params = example_params(query)
    script = (BROWSER_DIR / f"{CANNED}.cypher").read_text(encoding="utf-8")
    param_lines, statement = split_script(script)
    view_script = (BROWSER_DIR / f"{VIEW}.cypher").read_text(encoding="utf-8")
    view_params, view_statement = split_script(view_script)
    timings: dict[str, float] = {}
    password = os.environ["NEO4J_PASSWORD"]

    with Browser(timeout=60) as chromium:
        ui = NeoBrowser(chromium)
        start = time.monotonic()
        chromium.open(BROWSER_URL, wait_for="document.querySelector('[data-testid=password]')")
        timings["page load"] = time.monotonic() - start

        start = time.monotonic()
        ui.connect(os.environ.get("NEO4J_USERNAME", "neo4j"))
        timings["connect"] = time.monotonic() - start

        start = time.monotonic()
        ui.run(":style " + STYLE_FILE.read_text(encoding="utf-8"))
        stored = json.loads(ui.wait_for("(JSON.parse(localStorage.getItem('neo4j.grass') || 'null') || {})"
                                        "['node.Paper'] && localStorage.getItem('neo4j.grass')", "the stored style"))
        assert stored.get("node.Paper", {}).get("color") == NODE_STYLES["Paper"].colour
        assert "" not in stored, "an empty GraSS selector crashes the Browser's graph view"
        timings["style"] = time.monotonic() - start

        # Step 1 of the README: the whole file (multi-statement): every :param line and the statement succeed.
        start = time.monotonic()
        ui.run(script)
        assert ui.statement_statuses(len(param_lines) + 1) == ["success"] * (len(param_lines) + 1)
        # Step 2: the statement alone shows its rows, with the parameters the script set.
        # Other tests share the server and may push or wipe data meanwhile: the table must equal the rows the
        # server gives over Bolt just before or just after the Browser ran the statement.
        before = [row["title"] for row in run_neo4j(query, driver, database, params)]
        ui.run(statement)
        cells = ui.table_column("title")
        timings["canned query"] = time.monotonic() - start
        after = [row["title"] for row in run_neo4j(query, driver, database, params)]
        shown_titles = [json.loads(cell) for cell in cells]  # strings show quoted
        assert shown_titles in (before, after), f"Browser rows {shown_titles} != Bolt rows {after}"
        assert _titles_linked_to(graph, "Method", params["method"]) & set(shown_titles), \
            "no example paper using the method is in the Browser's table"

        start = time.monotonic()
        ui.run(view_script)
        assert ui.statement_statuses(len(view_params) + 1) == ["success"] * (len(view_params) + 1)
        ui.run(view_statement)
        title = param_value(view_params, "title")
        neighbours = driver.execute_query(
            "MATCH (p:Paper) WHERE toLower(p.title) = toLower($title) "
            "MATCH (p)-[:AUTHORED|PROPOSES|USES|EVALUATED_ON|ABOUT]-(n) RETURN count(DISTINCT n) AS c",  # not its topic
            title=title, database_=database).records[0]["c"]
        nodes = ui.graph_nodes(minimum=min(neighbours, 100) + 1)
        timings["graph view"] = time.monotonic() - start
        chromium._pump(1.0)  # let the force layout settle before the picture
        chromium.screenshot(SCREENSHOT)

        page_text = chromium.evaluate("document.body.innerText")
        fills = {node["fill"].upper() for node in nodes}
        assert NODE_STYLES["Paper"].colour.upper() in fills
        assert {NODE_STYLES[label].colour.upper() for label in ("Author", "Method")} <= fills
        papers = [n for n in nodes if n["fill"].upper() == NODE_STYLES["Paper"].colour.upper()]
        assert any(title.split()[0] in n["caption"] for n in papers), "Paper nodes are not captioned by title"

        start = time.monotonic()  # every Browser script in the folder runs cleanly as a whole
        for path in sorted(BROWSER_DIR.glob("*.cypher")):
            text = path.read_text(encoding="utf-8")
            ui.run(text)
            count = len(split_script(text)[0]) + 1
            assert ui.statement_statuses(count) == ["success"] * count, path.name
        timings["all scripts"] = time.monotonic() - start
        assert not ui.errors(), ui.errors()
        assert password not in page_text and not any(password in e for e in chromium._report.console_errors)
    print("neo4j browser timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_neo4j_browser.py --write   (regenerates cypher/browser/<query>.cypher)")
    for written in write_browser_files():
        print(written.relative_to(REPO))
