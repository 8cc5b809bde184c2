"""The `kg` command line: a thin click layer over kg.app (load, push) and kg.queries / kg.viz (reads).

Data is text, never markup: every value printed goes through `Text` or `markup=False`, so a title such as
"[/]" or "[link=…]" prints as written. Read commands import neither spaCy nor networkx's whole graph.
"""
from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path

import click

from .errors import KgError
from .ingest.formats import ALL_FORMATS

FORMAT_NAMES = tuple(ALL_FORMATS)


@lru_cache(maxsize=None)
def _console(stderr: bool = False):
    """A rich console that never reads markup in data (built on first use: importing rich costs time that
    `kg --help` does not need)."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)


def _text(value) -> "object":
    from rich.text import Text

    return Text("" if value is None else str(value))


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _store_path(ctx: click.Context, local: Path | None) -> Path:
    from .store.local import default_store_path

    return local or ctx.obj.get("store") or default_store_path()


def _store(ctx: click.Context, local: Path | None = None):
    from .store.local import LocalStore

    return LocalStore(_store_path(ctx, local))


def _ask(ctx: click.Context, neo4j: bool, question, store: Path | None = None):
    """Open the chosen backend, ask it one thing, close it (a Neo4j driver must not outlive the command)."""
    from .queries.backend import open_backend

    backend = open_backend(store=_store(ctx, store), neo4j=neo4j)
    try:
        return question(backend)
    finally:
        backend.close()


def _check_limit(value: int | None, name: str = "--limit") -> None:
    if value is not None and value < 1:
        raise KgError(f"{name} must be at least 1, got {value}")


neo4j_option = click.option("--neo4j", is_flag=True,
                            help="Use the Neo4j server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD) instead of the "
                                 "local store; KG_BACKEND=neo4j does the same.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
store_option = click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
                            help="Folder of the local store (default: $KG_STORE or ./.kg).")


class KgGroup(click.Group):
    """Turns every KgError into one line on stderr and its exit code; Ctrl-C into one line and 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(f"kg: interrupted; {_INTERRUPTED.get(ctx.invoked_subcommand, 'nothing was changed')}", err=True)
            sys.exit(130)


_INTERRUPTED = {
    "load": "nothing of this run was stored (the store is as it was before)",
    "push": "Neo4j is marked incomplete until `kg push` is run again",
}


@click.group(cls=KgGroup)
@store_option
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, store: Path | None) -> None:
    """Turn listings of machine-learning papers into a knowledge graph, query it, and draw it."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store


def _progress(disable: bool):
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    return Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                    TaskProgressColumn(show_speed=True), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=_console(stderr=True), disable=disable, transient=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None, help="Force the listing format.")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the listing files.")
@click.option("--model", default=None, help="spaCy pipeline name, or 'rules' (default: $KG_SPACY_MODEL, else "
                                            "en_core_web_sm when installed, else rules-only).")
@click.option("--workers", type=int, default=None, help="Extraction processes (default: $KG_WORKERS or every core).")
@click.option("--skip-bad-files", is_flag=True, help="Report unreadable files and go on with the others.")
@click.option("--no-wait", is_flag=True, help="Fail instead of waiting when another load is writing to the store.")
@neo4j_option
@click.option("--batch-size", default=5000, show_default=True, help="Rows per Neo4j write transaction.")
@store_option
@json_option
@click.pass_context
def load(ctx, paths, fmt, encoding, model, workers, skip_bad_files, no_wait, neo4j, batch_size, store, as_json):
    """Read listing files or folders into the graph (merging with what is stored)."""
    from .app.load import LoadProgress, load_paths

    _check_limit(workers, "--workers")
    local = _store(ctx, store)
    target = _Neo4jTarget.open() if neo4j or _neo4j_from_env() else None  # fail before touching the store
    try:
        with _progress(disable=as_json) as progress:
            files = progress.add_task("reading files", total=None)
            extract = progress.add_task("extracting", total=None, visible=False)
            stage = progress.add_task("", total=None, visible=False)

            def on_stage(what: str) -> None:
                progress.update(extract, visible=False)
                progress.update(stage, description=what, visible=True)

            def on_wait(message: str) -> None:
                click.echo(f"kg: {message}", err=True)
                if no_wait:
                    raise KgError(f"store {local.path}: another `kg load` is writing to it (--no-wait)")

            summary = load_paths(
                paths, local, lambda: _extractor(model), fmt=fmt, encoding=encoding, skip_bad_files=skip_bad_files,
                workers=workers,
                progress=LoadProgress(
                    on_file=lambda _path: progress.advance(files),
                    on_extract_total=lambda n: progress.update(extract, total=n, visible=True),
                    on_extracted=lambda n: progress.update(extract, completed=n),
                    on_stage=on_stage, on_wait=on_wait))
        report = summary.to_dict()
        if target:
            report["neo4j"] = target.push(local, batch_size, quiet=as_json)
    finally:
        local.close()
        if target:
            target.close()
    if as_json:
        _emit_json(report)
        return
    _print_load_summary(report, local)


def _extractor(model: str | None):
    from .extract import Extractor

    return Extractor(model=model)


def _neo4j_from_env() -> bool:
    return os.environ.get("KG_BACKEND", "").lower() == "neo4j"


class _Neo4jTarget:
    """A verified Neo4j connection with its schema in place, opened before any local work starts."""

    def __init__(self, settings, driver):
        self.settings, self.driver = settings, driver

    @classmethod
    def open(cls) -> "_Neo4jTarget":
        from .store.neo4j import Neo4jSettings, connect, ensure_schema

        settings = Neo4jSettings.from_env()
        driver = connect(settings)
        try:
            ensure_schema(driver, settings.database)
        except BaseException:
            driver.close()
            raise
        return cls(settings, driver)

    def push(self, store, batch_size: int, quiet: bool, full: bool = False) -> dict:
        from .app.push import push_store

        with _progress(disable=quiet) as progress:
            task = progress.add_task("writing to Neo4j", total=None)
            return push_store(store, self.driver, self.settings.database, batch_size=batch_size, full=full,
                              progress=lambda n: progress.update(task, completed=n),
                              on_plan=lambda plan: progress.update(task, total=plan.items))

    def close(self) -> None:
        self.driver.close()


def _print_load_summary(report: dict, store) -> None:
    from rich.table import Table

    _console().print(_text(f"Read {report['rows']} listing rows ({report['papers_in_files']} distinct papers) "
                    f"from {len(report['files'])} file(s) into {store.path} [extractor: {report['extractor']}]; "
                    f"{report['extracted']} paper(s) extracted, the rest from the cache"))
    table = Table("", "added", "total")
    for label, total in report["totals"]["nodes"].items():
        table.add_row(_text(label), _text(f"{report['added'][label]:+d}"), _text(total))
    _console().print(table)
    if report["skipped"]:
        _console().print(_text(f"Skipped {len(report['skipped'])} row(s):"))
        for row in report["skipped"]:
            _console().print(_text(f"  {row['source']}: {row['reason']}"))
    if "neo4j" in report:
        _console().print(_text(f"Neo4j: {report['neo4j']['totals']}"))


@main.command()
@click.option("--batch-size", default=5000, show_default=True, help="Rows per Neo4j write transaction.")
@click.option("--full", is_flag=True, help="Send everything, not only what changed since the last push.")
@store_option
@json_option
@click.pass_context
def push(ctx, batch_size, full, store, as_json):
    """Write the local store to Neo4j: only what changed since the last complete push (idempotent)."""
    _check_limit(batch_size, "--batch-size")
    local = _store(ctx, store)
    local.conn  # a missing store is an error before connecting  # noqa: B018
    target = _Neo4jTarget.open()
    try:
        report = target.push(local, batch_size, quiet=as_json, full=full)
    finally:
        target.close()
        local.close()
    if as_json:
        _emit_json(report)
        return
    created = report["written"]["created"]
    _console().print(_text(f"Neo4j now holds {report['totals']['nodes']} nodes and {report['totals']['relationships']} "
                    f"relationships ({created['nodes']} nodes and {created['relationships']} relationships new; "
                    f"sent revisions {report['from_revision']}→{report['to_revision']})"))


@main.command()
@neo4j_option
@store_option
@json_option
@click.pass_context
def stats(ctx, neo4j, store, as_json):
    """Counts of nodes and relationships, and the most connected entities."""
    data = _ask(ctx, neo4j, lambda b: b.stats(), store)
    for warning in data.get("warnings", []):
        click.echo(f"kg: warning: {warning}", err=True)
    if as_json:
        _emit_json(data)
        return
    from rich.table import Table

    table = Table("label / type", "count")
    for name, n in {**data["nodes"], **data["relationships"]}.items():
        table.add_row(_text(name), _text(n))
    _console().print(table)
    for section, rows in data["top"].items():
        _console().print(_text(f"top {section}: " + ", ".join(f"{r['name']} ({r['papers']})" for r in rows)))


@main.command()
@neo4j_option
@store_option
@json_option
@click.option("--limit", type=int, default=None, help="Show at most N papers.")
@click.pass_context
def papers(ctx, neo4j, store, as_json, limit):
    """Every paper with its authors, methods, datasets and concepts."""
    _check_limit(limit)

    def show(backend):
        rows = backend.papers(limit)
        if as_json:
            click.echo("[")
            for n, row in enumerate(rows):
                click.echo(("," if n else "") + json.dumps(row, ensure_ascii=False, indent=2))
            click.echo("]")
            return
        from rich.table import Table

        table = Table("title", "authors", "methods", "datasets", "concepts", "topic", show_lines=False)
        for row in rows:
            names = lambda key: ", ".join(e["name"] for e in row[key])  # noqa: E731
            table.add_row(_text(row["title"]),
                          _text(", ".join(row["authors"][:3]) + (" …" if len(row["authors"]) > 3 else "")),
                          _text(names("methods")), _text(names("datasets")), _text(names("concepts")),
                          _text(row.get("topic") or "-"))
        _console().print(table)

    _warn_stale_topics(ctx, neo4j, store)
    _ask(ctx, neo4j, show, store)


def _warn_stale_topics(ctx, neo4j: bool, store: Path | None) -> None:
    """Papers and related show the stored topics; say so on stderr when a load came after them."""
    if neo4j or _neo4j_from_env():
        return
    local = _store(ctx, store)
    try:
        if local.exists() and local.topics_state() is not None and local.topics_stale():
            click.echo("kg: note: topics were computed before the last load; `kg topics` computes them again",
                       err=True)
    finally:
        local.close()


@main.command()
@click.argument("term")
@click.option("--limit", type=int, default=10, show_default=True, help="Rows per section.")
@neo4j_option
@store_option
@json_option
@click.pass_context
def related(ctx, term, limit, neo4j, store, as_json):
    """Direct hits for TERM (a paper, author, method, dataset or concept), then what is related, with reasons."""
    _check_limit(limit)
    _warn_stale_topics(ctx, neo4j, store)
    data = _ask(ctx, neo4j, lambda b: b.related(term, limit), store)
    if as_json:
        _emit_json(data)
        return
    if not data["matches"]:
        raise KgError(f"nothing in the graph matches {term!r}; try `kg papers` or a shorter term")
    from rich.table import Table

    _console().print(_text("matches: " + "; ".join(f"{m['name']} ({m['label']})" for m in data["matches"])))
    for note in data.get("notes", []):
        _console().print(_text(f"note: {note}"))
    for section in ("papers", "methods", "datasets", "concepts", "metrics", "authors"):
        if not data[section]:
            continue
        columns = (section, "score", "why", "topic") if section == "papers" else (section, "score", "why")
        table = Table(*columns, title=None)
        for row in data[section]:
            cells = [_text(row["name"]), _text(f"{row['score']:.2f}"), _text(row["reason"])]
            table.add_row(*cells, *([_text(row.get("topic") or "-")] if section == "papers" else []))
        _console().print(table)


@main.command()
@click.argument("term")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kg-view.html"),
              show_default=True, help="HTML file to write.")
@click.option("--radius", default=1, show_default=True, help="Hops around the matching nodes.")
@click.option("--max-nodes", default=300, show_default=True, help="Trim the view to this many nodes.")
@neo4j_option
@store_option
@json_option
@click.pass_context
def view(ctx, term, output, radius, max_nodes, neo4j, store, as_json):
    """Write an interactive, offline HTML page of the network around TERM."""
    _check_limit(max_nodes, "--max-nodes")
    if radius < 0:
        raise KgError(f"--radius must be 0 or more, got {radius}")
    from .viz import ego_subgraph, render_page

    def cut(graph, centers):
        return ego_subgraph(graph, centers, radius=radius, max_nodes=max_nodes)

    sub, centers = _ask(ctx, neo4j, lambda b: b.graph_around(term, hops=radius + 1, fan_out=max_nodes, cut=cut), store)
    if not centers:
        raise KgError(f"nothing in the graph matches {term!r}; nothing to draw")
    stats_ = render_page(sub, output, title=f"kg: {term}", centers=centers)
    if as_json:
        _emit_json({"output": str(output), **stats_})
    else:
        _console().print(_text(f"Wrote {output} ({stats_['nodes']} nodes, {stats_['edges']} edges, {stats_['layout']} layout)"))
        left_out = stats_.get("cut")
        if left_out:
            _console().print(_text(f"Showing {left_out['shown']} of {left_out['total']} nodes; to see more: "
                                   f"{left_out['hint']}"))


@main.command(name="map")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kg-map.html"),
              show_default=True, help="HTML file to write.")
@click.option("--max-nodes", default=20_000, show_default=True,
              help="Draw at most this many papers and entities (entities first, then the best connected papers).")
@store_option
@json_option
@click.pass_context
def map_(ctx, output, max_nodes, store, as_json):
    """Write one offline page of the whole corpus: topics as coloured regions, papers and entities inside."""
    _check_limit(max_nodes, "--max-nodes")
    from .app.map import write_map

    local = _store(ctx, store)
    try:
        summary = write_map(local, output, max_nodes=max_nodes)
    finally:
        local.close()
    if as_json:
        _emit_json(summary)
        return
    cut = summary["cut"]
    _console().print(_text(f"Wrote {summary['path']} ({summary['nodes']} nodes, {summary['edges']} links, "
                           f"{summary['topics']} topics, {summary['seconds']} s)"))
    left = (cut["entities"][1] - cut["entities"][0]) + (cut["papers"][1] - cut["papers"][0])
    if left:
        _console().print(_text(f"Left out {left} papers and entities (--max-nodes {max_nodes}); "
                               f"{cut['edges'][1] - cut['edges'][0]} links over the cap of {cut['max_edges']}"))


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the canned queries with their parameters.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@neo4j_option
@store_option
@json_option
@click.pass_context
def query(ctx, name, list_, params, neo4j, store, as_json):
    """Run a canned Cypher query (on Neo4j, or its local twin on the local store)."""
    from .queries.canned import get_query, list_queries, parse_params

    if list_ or not name:
        queries = list_queries()
        if as_json:
            _emit_json([{"name": q.name, "purpose": q.purpose, "example": q.example, "file": str(q.path),
                         "params": [p._asdict() for p in q.params]} for q in queries])
            return
        from rich.table import Table

        table = Table("name", "parameters", "purpose")
        for q in queries:
            table.add_row(_text(q.name), _text(", ".join(p.name + ("" if p.required else f"={p.default}")
                                                        for p in q.params)), _text(q.purpose))
        _console().print(table)
        return
    canned = get_query(name)
    bound = parse_params(canned, list(params))
    rows = _ask(ctx, neo4j, lambda b: b.run_canned(canned, bound), store)
    if as_json:
        _emit_json(rows)
        return
    if not rows:
        _console().print(_text(f"no rows ({name} with {bound})"))
        return
    from rich.table import Column, Table

    table = Table(*[Column(header=_text(k)) for k in rows[0].keys()])
    for row in rows:
        table.add_row(*(_text(", ".join(map(str, v)) if isinstance(v, list) else v) for v in row.values()))
    _console().print(table)


@main.command()
@click.option("--format", "fmt", type=click.Choice(("graphml", "gexf", "json", "neo4j-csv")), required=True,
              help="graphml/gexf (Gephi, networkx), json (networkx node-link), neo4j-csv (neo4j-admin import).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write (a new or empty folder for neo4j-csv).")
@store_option
@json_option
@click.pass_context
def export(ctx, fmt, output, store, as_json):
    """Write the whole graph for Gephi, networkx or `neo4j-admin database import` (streamed, bounded memory)."""
    from .app.export import export_store

    local = _store(ctx, store)
    try:
        counts = local.counts()
        with _progress(disable=as_json) as progress:
            task = progress.add_task(f"writing {fmt}", total=sum(counts["nodes"].values())
                                     + sum(counts["relationships"].values()))
            report = export_store(local, fmt, output, progress=lambda n: progress.update(task, completed=n))
    finally:
        local.close()
    if as_json:
        _emit_json(report)
        return
    _console().print(_text(f"Wrote {output} ({sum(report['nodes'].values())} nodes, "
                    f"{sum(report['relationships'].values())} relationships)"))
    if report["replaced_characters"]:
        _console().print(_text(f"note: {report['replaced_characters']} character(s) the format cannot hold were written "
                        "as U+FFFD"))
    if "import" in report:
        _console().print(_text(f"import: {report['import']}  (then run cypher/schema.cypher, or any `kg push`, "
                        "for the constraints and indexes)"))


@main.command()
@click.argument("term", required=False)
@click.option("--limit", type=int, default=10, show_default=True, help="Rising and falling entities to list.")
@click.option("--min-papers", type=int, default=3, show_default=True,
              help="Papers an entity needs in the window it rises (or falls) from.")
@neo4j_option
@store_option
@json_option
@click.pass_context
def trends(ctx, term, limit, min_papers, neo4j, store, as_json):
    """Papers per year for TERM (an entity, author or topic name); without TERM, the entities rising and falling
    fastest in the last two years."""
    _check_limit(limit)
    _check_limit(min_papers, "--min-papers")
    data = _ask(ctx, neo4j, lambda b: b.trends(term, limit, min_papers), store)
    if as_json:
        _emit_json(data)
        return
    from rich.table import Table

    if term:
        for note in data.get("notes", []):
            _console().print(_text(f"note: {note}"))
        for match in data["matches"]:
            _console().print(_text(f"{match['name']} ({match['label']}): {match['papers']} paper(s), "
                            f"{match['first'] or '-'} to {match['last'] or '-'}"
                            + (f"; {match['undated']} without a year, not counted" if match["undated"] else "")))
            table = Table("year", "papers", "")
            top = max(match["years"].values(), default=1)
            for year, n in match["years"].items():
                table.add_row(_text(year), _text(n), _text("█" * max(1, round(20 * n / top))))
            _console().print(table)
        return
    for note in data["notes"]:
        _console().print(_text(f"note: {note}"))
    if not data["before"]:
        return
    _console().print(_text(f"{data['recent'][0]}–{data['recent'][1]} against {data['before'][0]}–{data['before'][1]}: "
                    "share of each window's papers, change in percentage points"))
    for section in ("rising", "falling"):
        table = Table(section, "label", "change", "recent", "before", "first", "last")
        for row in data[section]:
            table.add_row(_text(row["name"]), _text(row["label"]), _text(f"{row['change']:+.2f}"),
                          _text(f"{row['recent']} ({100 * row['recent_share']:.1f}%)"),
                          _text(f"{row['before']} ({100 * row['before_share']:.1f}%)"),
                          _text(row["first"] or "-"), _text(row["last"] or "-"))
        _console().print(table)


@main.command()
@click.option("--limit", type=int, default=None, help="Show at most N topics (largest first).")
@click.option("--recompute", is_flag=True, help="Compute the topics again even when the store did not change.")
@neo4j_option
@store_option
@json_option
@click.pass_context
def topics(ctx, limit, recompute, neo4j, store, as_json):
    """Topics of the corpus: communities of methods, datasets and concepts that share papers, with names,
    sizes, top authors and trends. Computed when the store changed since the last time, else read."""
    from .queries.topics import topics_report, trend_text

    _check_limit(limit)
    if neo4j or _neo4j_from_env():
        data = _ask(ctx, True, lambda b: b.topics_report(), store)
    else:
        from .app.topics import current_topics

        local = _store(ctx, store)
        try:
            local.conn  # a missing store is one error line  # noqa: B018
            found = current_topics(local, force=recompute,
                                   on_compute=None if as_json else lambda m: click.echo(f"kg: {m}", err=True))
        finally:
            local.close()
        if found["computed"] is not None:
            click.echo(f"kg: computed {len(found['topics'])} topics in {found['computed']:.1f} s"
                       + ("" if found["stored"] else " (not stored: a load is writing; shown as computed)"), err=True)
        data = topics_report(found["topics"], found["state"])
    if limit:
        data["topics"] = data["topics"][:limit]
    if as_json:
        _emit_json(data)
        return
    from rich.table import Table

    _console().print(_text(f"{len(data['topics'])} topics over {data['papers']} papers ({data['without_topic']} without "
                           f"a topic); modularity {data['modularity']:.3f} ({data['method']}, revision "
                           f"{data['revision']})"))
    table = Table("#", "topic", "papers", "trend", "entities", "top authors")
    for row in data["topics"]:
        table.add_row(_text(row["id"]), _text(row["name"]), _text(row["papers"]), _text(trend_text(row["trend"])),
                      _text(", ".join(e["name"] for e in row["entities"][3:8])), _text(", ".join(row["authors"][:3])))
    _console().print(table)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="spaCy pipeline name, or 'rules'.")
@click.option("--seeds", type=click.Path(exists=True, path_type=Path), default=None,
              help="Listing files that hold the texts of a gold file without abstracts (e.g. ../shared/seeds).")
@json_option
def eval_(gold, model, seeds, as_json):
    """Score the extractor against a gold file (SciREX, SciERC or kg's simple format)."""
    from .evaluation.evaluate import evaluate_file, format_report

    texts = None
    if seeds:
        from .ingest import read_paths

        texts = {p.title: (p.title, p.abstract) for p in read_paths([seeds]).papers}
    with _progress(disable=as_json) as progress:
        task = progress.add_task("extracting", total=None)
        report = evaluate_file(gold, _extractor(model), texts=texts,
                               progress=lambda n: progress.update(task, completed=n))
    if as_json:
        _emit_json(report.to_dict())
    else:
        _console().print(_text(format_report(report)))


if __name__ == "__main__":
    main()
