// name: papers-using-method
// purpose: Papers that use or propose the method named by $method, most confident extraction first.
// params: method (string: method name, alias or key); limit (int, default 25: rows to return)
// example: kg query papers-using-method -p method=BERT
MATCH (method:Method)
WHERE toLower(method.name) = toLower($method) OR method.key = toLower($method)
   OR any(alias IN coalesce(method.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (paper:Paper)-[rel]->(method)
RETURN paper.title AS title, paper.key AS key, paper.date AS date, method.name AS method, type(rel) AS relation,
       coalesce(rel.confidence, 0.0) AS confidence, coalesce(rel.count, 0) AS mentions
ORDER BY confidence DESC, mentions DESC, title ASC, key ASC, method ASC, relation ASC
LIMIT $limit;
