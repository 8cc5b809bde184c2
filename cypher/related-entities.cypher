// name: related-entities
// purpose: Methods, datasets, concepts and metrics that appear in the same papers as the entity named by $term,
//   most shared papers first.
// params: term (string: entity name, alias or key); limit (int, default 25: rows to return)
// example: kg query related-entities -p term=BERT -p limit=10
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
