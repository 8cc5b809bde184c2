// kg query shortest-path: The shortest connections (at most 10 hops, any direction) between two papers, authors or entities named by $from and $to; every path of the shortest length, in name order.
// generated from cypher/shortest-path.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param from => 'BERT';
:param to => 'ImageNet';
:param limit => 10;
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
