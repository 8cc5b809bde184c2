"""What every kg page shares: the Jinja templates, inlined scripts, script-safe JSON and an all-or-nothing write.

Pages work offline, so every script is inlined; an asset that could close its <script> or <style> element early
is refused rather than inlined.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import jinja2

from kg.errors import KgError

ASSETS = Path(__file__).parent / "assets"


@lru_cache(maxsize=None)
def template(name: str) -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template(name)


@lru_cache(maxsize=None)
def inline_asset(path: Path, remedy: str) -> str:
    """A script or stylesheet's text, safe to inline; `remedy` says how to get it back when it is missing."""
    if not path.is_file():
        raise KgError(f"page asset missing: {path} ({remedy})")
    text = path.read_text(encoding="utf-8")
    low = text.lower()
    if "</script" in low or "</style" in low or "<!--" in text:
        raise KgError(f"{path} cannot be inlined safely")
    return text


def script_safe_json(value) -> str:
    """JSON that can sit inside a <script> element: no '</script>', '<!--' or stray line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def write_page(out_path: str | os.PathLike, html: str) -> Path:
    """Write the page whole or not at all (a temporary file, then a rename)."""
    out = Path(out_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    except OSError as err:
        raise KgError(f"cannot write {out}: {err.strerror or err}") from err
    return out
