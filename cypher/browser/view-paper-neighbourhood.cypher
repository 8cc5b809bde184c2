// kg graph view: one paper with its authors and the methods, datasets, concepts and metrics extracted from it.
// Not a canned query (it returns paths, which the Browser draws with style.grass); $title is a title or key.
:param title => 'Matryoshka Representation Learning';
MATCH (paper:Paper)
WHERE toLower(paper.title) = toLower($title) OR paper.key = toLower($title)
MATCH path = (paper)-[:AUTHORED|PROPOSES|USES|EVALUATED_ON|ABOUT]-()
RETURN path
LIMIT 100;
