// kg query coauthors: Authors who wrote papers together with the author named by $author, most shared papers first.
// generated from cypher/coauthors.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param author => 'Sergey Levine';
:param limit => 25;
MATCH (author:Author)
WHERE toLower(author.name) = toLower($author) OR author.key = toLower($author)
WITH collect(author) AS selves
UNWIND selves AS author
MATCH (author)-[:AUTHORED]->(paper:Paper)<-[:AUTHORED]-(coauthor:Author)
WHERE NOT coauthor IN selves
WITH coauthor, paper
ORDER BY paper.title ASC, paper.key ASC
WITH coauthor, count(DISTINCT paper) AS shared, collect(DISTINCT paper.title) AS titles
RETURN coauthor.name AS name, coauthor.key AS key, shared AS shared_papers, titles
ORDER BY shared_papers DESC, name ASC, key ASC, titles ASC
LIMIT $limit;
