-- Commons: where each topic placed each distinct text (PostgreSQL), written for this project.
--
-- A topic groups artifacts that say the same thing by their MiniLM embeddings. Its log is the
-- durable truth, and groups are derived from it when the topic's grain activates; without this
-- table that meant embedding every distinct text of the log again (minutes for a large topic).
-- One row per distinct normalised text of a topic (TextHash: SHA-256 of it): the group it joined,
-- and, for the text that founded a group, the group's vector (384 float32, little-endian). Texts
-- the table does not know are embedded and placed as before, so a lost row costs time, not data.
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS CommonsTopicTexts
(
    ServiceId varchar(150) NOT NULL,
    Topic     varchar(64)  NOT NULL,
    TextHash  bytea        NOT NULL,
    GroupId   varchar(64)  NOT NULL,
    Vector    bytea        NULL,
    PRIMARY KEY (ServiceId, Topic, TextHash)
);
