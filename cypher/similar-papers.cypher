// name: similar-papers
// purpose: Papers sharing the most methods, datasets, concepts and metrics with the paper titled $title.
// params: title (string: paper title or key); limit (int, default 10: rows to return)
// example: kg query similar-papers -p "title=Dense Transformer Networks"
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
