// name: author-methods
// purpose: Methods proposed in the papers written by the author named by $author, with those papers' titles.
// params: author (string: author name or key); limit (int, default 25: rows to return)
// example: kg query author-methods -p "author=Sergey Levine"
MATCH (author:Author)
WHERE toLower(author.name) = toLower($author) OR author.key = toLower($author)
MATCH (author)-[:AUTHORED]->(paper:Paper)-[:PROPOSES]->(method:Method)
WITH method, paper
ORDER BY paper.title ASC, paper.key ASC
WITH method, count(DISTINCT paper) AS papers, collect(DISTINCT paper.title) AS titles
RETURN method.name AS method, method.key AS key, papers, titles
ORDER BY papers DESC, method ASC, key ASC, titles ASC
LIMIT $limit;
