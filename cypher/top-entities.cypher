// name: top-entities
// purpose: The methods, datasets, concepts or metrics mentioned by the most papers.
// params: label (Method|Dataset|Concept|Metric: which kind of entity); limit (int, default 25: rows to return)
// example: kg query top-entities -p label=Dataset -p limit=10
MATCH (entity)
WHERE any(l IN labels(entity) WHERE l IN ['Method', 'Dataset', 'Concept', 'Metric'] AND toLower(l) = toLower($label))
RETURN entity.name AS name, entity.key AS key, coalesce(entity.papers, 0) AS papers,
       coalesce(entity.aliases, []) AS aliases
ORDER BY papers DESC, name ASC, key ASC, aliases ASC
LIMIT $limit;
