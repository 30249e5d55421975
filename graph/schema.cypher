// repgraph graph schema: GENERATED from src/repgraph/ontology.py by
//   python -m repgraph.schema > graph/schema.cypher
// Do not edit by hand; tests fail when this file and the ontology drift apart.
// Uniqueness of `id` per label, indexes the named queries use, and a full-text
// index on the folded names and aliases, searchText (Neo4j; the embedded store keeps
// an SQLite FTS5 table, see src/repgraph/store/fulltext_sqlite.py).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT position_id IF NOT EXISTS FOR (n:Position) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT law_id IF NOT EXISTS FOR (n:Law) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT operation_id IF NOT EXISTS FOR (n:Operation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT incident_id IF NOT EXISTS FOR (n:Incident) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT statistic_id IF NOT EXISTS FOR (n:Statistic) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sanction_id IF NOT EXISTS FOR (n:Sanction) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT proceeding_id IF NOT EXISTS FOR (n:Proceeding) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT exculpation_id IF NOT EXISTS FOR (n:Exculpation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT judgement_id IF NOT EXISTS FOR (n:Judgement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT write_lock_id IF NOT EXISTS FOR (n:WriteLock) REQUIRE n.id IS UNIQUE;
CREATE INDEX incident_type IF NOT EXISTS FOR (n:Incident) ON (n.type);
CREATE INDEX incident_date_from IF NOT EXISTS FOR (n:Incident) ON (n.dateFrom);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX organization_kind IF NOT EXISTS FOR (n:Organization) ON (n.kind);
CREATE INDEX statistic_measure IF NOT EXISTS FOR (n:Statistic) ON (n.measure);
CREATE INDEX targeted_basis IF NOT EXISTS FOR ()-[r:TARGETED]-() ON (r.basis);
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.searchText] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false}};
DROP INDEX entity_names IF EXISTS;
DROP INDEX entity_search_text IF EXISTS;
