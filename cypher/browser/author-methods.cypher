// kg query author-methods: Methods proposed in the papers written by the author named by $author, with those papers' titles.
// generated from cypher/author-methods.cypher by `python tests/test_neo4j_browser.py --write`; edit that file, not this one.
// Run the whole script once to set the parameters, then run the statement alone to see its rows
// (see cypher/browser/README.md).
:param author => 'Sergey Levine';
:param limit => 25;
MATCH (author:Author)
WHERE toLower(author.name) = toLower($author) OR author.key = toLower($author)
MATCH (author)-[:AUTHORED]->(paper:Paper)-[:PROPOSES]->(method:Method)
WITH method, paper
ORDER BY paper.title ASC, paper.key ASC
WITH method, count(DISTINCT paper) AS papers, collect(DISTINCT paper.title) AS titles
RETURN method.name AS method, method.key AS key, papers, titles
ORDER BY papers DESC, method ASC, key ASC, titles ASC
LIMIT $limit;
