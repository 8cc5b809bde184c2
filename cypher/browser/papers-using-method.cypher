// kg query papers-using-method: Papers that use or propose the method named by $method, most confident extraction first.
// generated from cypher/papers-using-method.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param method => 'BERT';
:param limit => 25;
MATCH (method:Method)
WHERE toLower(method.name) = toLower($method) OR method.key = toLower($method)
   OR any(alias IN coalesce(method.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (paper:Paper)-[rel]->(method)
RETURN paper.title AS title, paper.key AS key, paper.date AS date, method.name AS method, type(rel) AS relation,
       coalesce(rel.confidence, 0.0) AS confidence, coalesce(rel.count, 0) AS mentions
ORDER BY confidence DESC, mentions DESC, title ASC, key ASC, method ASC, relation ASC
LIMIT $limit;
