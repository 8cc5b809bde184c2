// kg query papers-on-dataset: Papers evaluated on (or introducing) the dataset named by $dataset, most confident extraction first.
// generated from cypher/papers-on-dataset.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param dataset => 'ImageNet';
:param limit => 25;
MATCH (dataset:Dataset)
WHERE toLower(dataset.name) = toLower($dataset) OR dataset.key = toLower($dataset)
   OR any(alias IN coalesce(dataset.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (paper:Paper)-[rel]->(dataset)
RETURN paper.title AS title, paper.key AS key, paper.date AS date, dataset.name AS dataset, type(rel) AS relation,
       coalesce(rel.confidence, 0.0) AS confidence, coalesce(rel.count, 0) AS mentions
ORDER BY confidence DESC, mentions DESC, title ASC, key ASC, dataset ASC, relation ASC
LIMIT $limit;
