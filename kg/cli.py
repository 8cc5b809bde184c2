"""The `kg` command line: a thin click layer over kg.ingest/extract/graph/store/queries/viz."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import KgError
from .ingest import FORMAT_NAMES
from .store import LocalStore, default_store_path

err = Console(stderr=True)
out = Console()


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _store(ctx: click.Context) -> LocalStore:
    return LocalStore(ctx.obj["store"])


def _ask(ctx: click.Context, neo4j: bool, question):
    """Open the chosen backend, ask it one thing, close it (a Neo4j driver must not outlive the command)."""
    from .queries.backend import open_backend

    backend = open_backend(store=_store(ctx), neo4j=neo4j)
    try:
        return question(backend)
    finally:
        backend.close()


def _extractor(model: str | None):
    from .extract import Extractor

    return Extractor(model=model)


neo4j_option = click.option("--neo4j", is_flag=True,
                            help="Use the Neo4j server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD) instead of the "
                                 "local store; KG_BACKEND=neo4j does the same.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


class KgGroup(click.Group):
    """Turns every KgError into one line on stderr and its exit code; nothing else is caught."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            err.print(f"[bold red]kg: error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)


@click.group(cls=KgGroup)
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the local store (default: $KG_STORE or ./.kg).")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, store: Path | None) -> None:
    """Turn listings of machine-learning papers into a knowledge graph, query it, and draw it."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store or default_store_path()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None, help="Force the listing format.")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the listing files.")
@click.option("--model", default=None, help="spaCy pipeline name, or 'rules' (default: $KG_SPACY_MODEL, else "
                                            "en_core_web_sm when installed, else rules-only).")
@click.option("--skip-bad-files", is_flag=True, help="Report unreadable files and go on with the others.")
@neo4j_option
@click.option("--batch-size", default=1000, show_default=True, help="Rows per Neo4j write transaction.")
@json_option
@click.pass_context
def load(ctx, paths, fmt, encoding, model, skip_bad_files, neo4j, batch_size, as_json):
    """Read listing files or folders into the graph (merging with what is stored)."""
    from .store.load import load_paths

    store = _store(ctx)
    extractor = lambda: _extractor(model)  # noqa: E731  (built only after the files read cleanly)
    target = _Neo4jTarget.open() if neo4j or _neo4j_from_env() else None  # fail before touching the store
    try:
        with _progress(disable=as_json) as progress:
            files = progress.add_task("reading files", total=None)
            extract = progress.add_task("extracting", total=None, visible=False)
            summary = load_paths(
                paths, store, extractor, fmt=fmt, encoding=encoding, skip_bad_files=skip_bad_files,
                on_file=lambda _path: progress.advance(files),
                on_total=lambda n: progress.update(extract, total=n, visible=True),
                on_paper=lambda n: progress.update(extract, completed=n),
            )
        report = summary.to_dict()
        if target:
            report["neo4j"] = target.push(summary.graph, batch_size, quiet=as_json)
    finally:
        if target:
            target.close()
    if as_json:
        _emit_json(report)
        return
    _print_load_summary(report, store)


def _neo4j_from_env() -> bool:
    import os

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

    def push(self, graph, batch_size: int, quiet: bool) -> dict:
        from .store.neo4j import counts, push_graph

        with _progress(disable=quiet) as progress:
            task = progress.add_task("writing to Neo4j", total=graph.number_of_nodes() + graph.number_of_edges())
            written = push_graph(self.driver, graph, self.settings.database, batch_size=batch_size,
                                 progress=lambda n: progress.update(task, completed=n))
        return {"written": written, "totals": counts(self.driver, self.settings.database)}

    def close(self) -> None:
        self.driver.close()


def _progress(disable: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, disable=disable, transient=True)


def _print_load_summary(report: dict, store: LocalStore) -> None:
    added = report["added"]
    out.print(f"Read {report['rows']} listing rows ({report['papers_in_files']} distinct papers) "
              f"from {len(report['files'])} file(s) into {store.path} [extractor: {report['extractor']}]")
    table = Table("", "added", "total")
    for label, total in report["totals"]["nodes"].items():
        table.add_row(label, f"{added[label]:+d}", str(total))
    out.print(table)
    if report["skipped"]:
        out.print(f"[yellow]Skipped {len(report['skipped'])} row(s):[/]")
        for row in report["skipped"]:
            out.print(f"  {row['source']}: {row['reason']}", highlight=False)
    if "neo4j" in report:
        out.print(f"Neo4j: {report['neo4j']['totals']}")


@main.command()
@click.option("--batch-size", default=1000, show_default=True, help="Rows per Neo4j write transaction.")
@json_option
@click.pass_context
def push(ctx, batch_size, as_json):
    """Write the graph of the local store to Neo4j (idempotent: pushing twice changes nothing)."""
    graph = _store(ctx).load_graph()
    target = _Neo4jTarget.open()
    try:
        report = target.push(graph, batch_size, quiet=as_json)
    finally:
        target.close()
    if as_json:
        _emit_json(report)
        return
    created = report["written"]["created"]
    out.print(f"Neo4j now holds {report['totals']['nodes']} nodes and {report['totals']['relationships']} "
              f"relationships ({created['nodes']} nodes and {created['relationships']} relationships new)",
              highlight=False)


@main.command()
@neo4j_option
@json_option
@click.pass_context
def stats(ctx, neo4j, as_json):
    """Counts of nodes and relationships, and the most connected entities."""
    data = _ask(ctx, neo4j, lambda b: b.stats())
    if as_json:
        _emit_json(data)
        return
    table = Table("label / type", "count")
    for name, n in {**data["nodes"], **data["relationships"]}.items():
        table.add_row(name, str(n))
    out.print(table)
    for section, rows in data["top"].items():
        out.print(f"[bold]top {section}:[/] " + ", ".join(f"{r['name']} ({r['papers']})" for r in rows), highlight=False)


@main.command()
@neo4j_option
@json_option
@click.option("--limit", type=int, default=None, help="Show at most N papers.")
@click.pass_context
def papers(ctx, neo4j, as_json, limit):
    """Every paper with its authors, methods, datasets and concepts."""
    rows = _ask(ctx, neo4j, lambda b: b.papers())
    rows = rows[:limit] if limit else rows
    if as_json:
        _emit_json(rows)
        return
    table = Table("title", "authors", "methods", "datasets", "concepts", show_lines=False)
    for row in rows:
        names = lambda key: ", ".join(e["name"] for e in row[key])  # noqa: E731
        table.add_row(row["title"], ", ".join(row["authors"][:3]) + (" …" if len(row["authors"]) > 3 else ""),
                      names("methods"), names("datasets"), names("concepts"))
    out.print(table)


@main.command()
@click.argument("term")
@click.option("--limit", type=int, default=10, show_default=True, help="Rows per section.")
@neo4j_option
@json_option
@click.pass_context
def related(ctx, term, limit, neo4j, as_json):
    """Papers, methods, datasets, concepts and authors related to TERM (fuzzy match)."""
    data = _ask(ctx, neo4j, lambda b: b.related(term, limit))
    if as_json:
        _emit_json(data)
        return
    if not data["matches"]:
        raise KgError(f"nothing in the graph matches {term!r}; try `kg papers` or a shorter term")
    out.print("[bold]matches:[/] " + "; ".join(f"{m['name']} ({m['label']})" for m in data["matches"]),
              highlight=False)
    for section in ("papers", "methods", "datasets", "concepts", "authors"):
        if not data[section]:
            continue
        table = Table(section, "score", "why", title=None)
        for row in data[section]:
            table.add_row(row["name"], f"{row['score']:.2f}", row["reason"])
        out.print(table)


@main.command()
@click.argument("term")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("kg-view.html"),
              show_default=True, help="HTML file to write.")
@click.option("--radius", default=1, show_default=True, help="Hops around the matching nodes.")
@click.option("--max-nodes", default=300, show_default=True, help="Trim the view to this many nodes.")
@neo4j_option
@json_option
@click.pass_context
def view(ctx, term, output, radius, max_nodes, neo4j, as_json):
    """Write an interactive, offline HTML page of the network around TERM."""
    from .queries import resolve
    from .viz import ego_subgraph, render_page

    graph = _ask(ctx, neo4j, lambda b: b.graph_around(term, hops=radius + 1))
    centers = [nid for nid, _ in resolve(graph, term)]
    if not centers:
        raise KgError(f"nothing in the graph matches {term!r}; nothing to draw")
    sub = ego_subgraph(graph, centers, radius=radius, max_nodes=max_nodes)
    stats_ = render_page(sub, output, title=f"kg: {term}", centers=centers)
    if as_json:
        _emit_json({"output": str(output), **stats_})
    else:
        out.print(f"Wrote {output} ({stats_['nodes']} nodes, {stats_['edges']} edges, {stats_['layout']} layout)")


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the canned queries with their parameters.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@neo4j_option
@json_option
@click.pass_context
def query(ctx, name, list_, params, neo4j, as_json):
    """Run a canned Cypher query from cypher/ (on Neo4j, or its local twin on the local store)."""
    from .queries.canned import get_query, list_queries, parse_params

    if list_ or not name:
        queries = list_queries()
        if as_json:
            _emit_json([{"name": q.name, "purpose": q.purpose, "example": q.example, "file": str(q.path),
                         "params": [p._asdict() for p in q.params]} for q in queries])
            return
        table = Table("name", "parameters", "purpose")
        for q in queries:
            table.add_row(q.name, ", ".join(p.name + ("" if p.required else f"={p.default}") for p in q.params),
                          q.purpose)
        out.print(table)
        return
    canned = get_query(name)
    bound = parse_params(canned, list(params))
    rows = _ask(ctx, neo4j, lambda b: b.run_canned(canned, bound))
    if as_json:
        _emit_json(rows)
        return
    if not rows:
        out.print(f"no rows ({name} with {bound})", highlight=False)
        return
    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*(", ".join(map(str, v)) if isinstance(v, list) else str(v) for v in row.values()))
    out.print(table)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="spaCy pipeline name, or 'rules'.")
@click.option("--seeds", type=click.Path(exists=True, path_type=Path), default=None,
              help="Listing files that hold the texts of a gold file without abstracts (e.g. ../shared/seeds).")
@json_option
def eval_(gold, model, seeds, as_json):
    """Score the extractor against a gold file (SciREX, SciERC or kg's simple format)."""
    from .extract.evaluate import evaluate_file, format_report

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
        out.print(format_report(report), highlight=False)


if __name__ == "__main__":
    main()
