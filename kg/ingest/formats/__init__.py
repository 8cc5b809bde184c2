"""Page formats: each module has `NAME`, `score(lines) -> float` (how sure it is) and `parse(lines, file)`."""
from . import lab_page, poster_session, search_page, similarity_page, tabular

PAGE_FORMATS = {m.NAME: m for m in (lab_page, similarity_page, poster_session, search_page)}
ALL_FORMATS = {**PAGE_FORMATS, "jsonl": tabular.JsonLines, "csv": tabular.Csv}
