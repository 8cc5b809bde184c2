// kg graph view: the papers linked to a method, dataset, concept or metric, with the other entities those papers share.
// Not a canned query (it returns paths for the Browser to draw); $term is a name, alias or key.
:param term => 'BERT';
:param limit => 150;
MATCH (seed)
WHERE (seed:Method OR seed:Dataset OR seed:Concept OR seed:Metric)
  AND (toLower(seed.name) = toLower($term) OR seed.key = toLower($term)
       OR any(alias IN coalesce(seed.aliases, []) WHERE toLower(alias) = toLower($term)))
MATCH path = (seed)<-[]-(:Paper)-[:PROPOSES|USES|EVALUATED_ON|ABOUT]->(:Method|Dataset|Concept|Metric)
RETURN path
LIMIT $limit;
