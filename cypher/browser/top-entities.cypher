// kg query top-entities: The methods, datasets, concepts or metrics mentioned by the most papers.
// generated from cypher/top-entities.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param label => 'Dataset';
:param limit => 10;
MATCH (entity)
WHERE any(l IN labels(entity) WHERE l IN ['Method', 'Dataset', 'Concept', 'Metric'] AND toLower(l) = toLower($label))
RETURN entity.name AS name, entity.key AS key, coalesce(entity.papers, 0) AS papers,
       coalesce(entity.aliases, []) AS aliases
ORDER BY papers DESC, name ASC, key ASC, aliases ASC
LIMIT $limit;
