CREATE TABLE probe (value text NOT NULL);
INSERT INTO probe (value) VALUES ('migrated');
