// kg query related-entities: Methods, datasets, concepts and metrics that appear in the same papers as the entity named by $term, most shared papers first.
// generated from cypher/related-entities.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param term => 'BERT';
:param limit => 10;
MATCH (seed)
WHERE (seed:Method OR seed:Dataset OR seed:Concept OR seed:Metric)
  AND (toLower(seed.name) = toLower($term) OR seed.key = toLower($term)
       OR any(alias IN coalesce(seed.aliases, []) WHERE toLower(alias) = toLower($term)))
WITH collect(seed) AS seeds
UNWIND seeds AS seed
MATCH (seed)<--(paper:Paper)-->(other)
WHERE (other:Method OR other:Dataset OR other:Concept OR other:Metric) AND NOT other IN seeds
WITH other, count(DISTINCT paper) AS shared
RETURN [l IN labels(other) WHERE l IN ['Method', 'Dataset', 'Concept', 'Metric']][0] AS label,
       other.name AS name, other.key AS key, shared AS shared_papers, coalesce(other.papers, 0) AS papers
ORDER BY shared_papers DESC, name ASC, label ASC, key ASC, papers ASC
LIMIT $limit;
