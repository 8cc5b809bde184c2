// Schema of the kg graph in Neo4j (see docs/design.md). Run by kg.store.neo4j.ensure_schema.
// Every statement is idempotent (IF NOT EXISTS) and ends with a semicolon; comments are whole lines.

// One node per key and label: MERGE on `key` relies on these (they also create the lookup indexes).
CREATE CONSTRAINT kg_paper_key IF NOT EXISTS FOR (n:Paper) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT kg_author_key IF NOT EXISTS FOR (n:Author) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT kg_method_key IF NOT EXISTS FOR (n:Method) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT kg_dataset_key IF NOT EXISTS FOR (n:Dataset) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT kg_concept_key IF NOT EXISTS FOR (n:Concept) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT kg_metric_key IF NOT EXISTS FOR (n:Metric) REQUIRE n.key IS UNIQUE;

// Free-text search over paper titles and the names of authors and extracted entities.
CREATE FULLTEXT INDEX kg_text IF NOT EXISTS
FOR (n:Paper|Author|Method|Dataset|Concept|Metric) ON EACH [n.title, n.name];

// Name lookups (`kg related`, `kg view`): the lookup words kg computes for each node, matched whole.
CREATE FULLTEXT INDEX kg_terms IF NOT EXISTS
FOR (n:Paper|Author|Method|Dataset|Concept|Metric) ON EACH [n.search]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}};

// Ranking reads the most connected nodes of a label.
CREATE INDEX kg_method_papers IF NOT EXISTS FOR (n:Method) ON (n.papers);
CREATE INDEX kg_dataset_papers IF NOT EXISTS FOR (n:Dataset) ON (n.papers);
CREATE INDEX kg_concept_papers IF NOT EXISTS FOR (n:Concept) ON (n.papers);
CREATE INDEX kg_metric_papers IF NOT EXISTS FOR (n:Metric) ON (n.papers);
CREATE INDEX kg_author_papers IF NOT EXISTS FOR (n:Author) ON (n.papers);

// Topics (`kg topics`, pushed by `kg push`): one node per topic, IN_TOPIC from its papers and entities.
CREATE CONSTRAINT kg_topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;
