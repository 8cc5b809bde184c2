// kg query similar-papers: Papers sharing the most methods, datasets, concepts and metrics with the paper titled $title.
// generated from cypher/similar-papers.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param title => 'Dense Transformer Networks';
:param limit => 10;
MATCH (paper:Paper)
WHERE toLower(paper.title) = toLower($title) OR paper.key = toLower($title)
WITH collect(paper) AS selves
UNWIND selves AS paper
MATCH (paper)-->(entity)<--(other:Paper)
WHERE (entity:Method OR entity:Dataset OR entity:Concept OR entity:Metric) AND NOT other IN selves
WITH other, entity
ORDER BY entity.name ASC, entity.key ASC
WITH other, count(DISTINCT entity) AS shared, collect(DISTINCT entity.name) AS entities
RETURN other.title AS title, other.key AS key, shared AS shared_entities, entities
ORDER BY shared_entities DESC, title ASC, key ASC, entities ASC
LIMIT $limit;
