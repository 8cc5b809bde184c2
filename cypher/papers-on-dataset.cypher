// name: papers-on-dataset
// purpose: Papers evaluated on (or introducing) the dataset named by $dataset, most confident extraction first.
// params: dataset (string: dataset name, alias or key); limit (int, default 25: rows to return)
// example: kg query papers-on-dataset -p dataset=ImageNet
MATCH (dataset:Dataset)
WHERE toLower(dataset.name) = toLower($dataset) OR dataset.key = toLower($dataset)
   OR any(alias IN coalesce(dataset.aliases, []) WHERE toLower(alias) = toLower($dataset))
MATCH (paper:Paper)-[rel]->(dataset)
RETURN paper.title AS title, paper.key AS key, paper.date AS date, dataset.name AS dataset, type(rel) AS relation,
       coalesce(rel.confidence, 0.0) AS confidence, coalesce(rel.count, 0) AS mentions
ORDER BY confidence DESC, mentions DESC, title ASC, key ASC, dataset ASC, relation ASC
LIMIT $limit;
