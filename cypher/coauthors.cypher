// name: coauthors
// purpose: Authors who wrote papers together with the author named by $author, most shared papers first.
// params: author (string: author name or key); limit (int, default 25: rows to return)
// example: kg query coauthors -p "author=Sergey Levine"
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
