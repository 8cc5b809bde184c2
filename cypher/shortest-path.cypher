// name: shortest-path
// purpose: The shortest connections (at most 10 hops, any direction) between two papers, authors or entities
//   named by $from and $to; every path of the shortest length, in name order.
// params: from (string: title, name, alias or key); to (string: title, name, alias or key);
//   limit (int, default 10: paths to return)
// example: kg query shortest-path -p from=BERT -p to=ImageNet
MATCH (source)
WHERE NOT source:Topic
  AND (toLower(source.title) = toLower($from) OR toLower(source.name) = toLower($from) OR source.key = toLower($from)
       OR any(alias IN coalesce(source.aliases, []) WHERE toLower(alias) = toLower($from)))
MATCH (target)
WHERE NOT target:Topic AND (toLower(target.title) = toLower($to) OR toLower(target.name) = toLower($to) OR target.key = toLower($to)
       OR any(alias IN coalesce(target.aliases, []) WHERE toLower(alias) = toLower($to)))
  AND target <> source
MATCH path = allShortestPaths((source)-[:AUTHORED|PROPOSES|USES|EVALUATED_ON|ABOUT|VARIANT_OF*..10]-(target))
WITH collect(path) AS paths, min(length(path)) AS best
UNWIND paths AS path
WITH path WHERE length(path) = best
WITH length(path) AS hops,
     [n IN nodes(path) | coalesce(n.title, n.name, n.key)] AS nodes,
     [n IN nodes(path) | [l IN labels(n) WHERE l IN ['Paper', 'Author', 'Method', 'Dataset', 'Concept', 'Metric']][0]] AS labels,
     [n IN nodes(path) | n.key] AS keys,
     [r IN relationships(path) | type(r)] AS relationships
RETURN hops, nodes, labels, relationships, keys
ORDER BY nodes ASC, labels ASC, keys ASC, relationships ASC
LIMIT $limit;
