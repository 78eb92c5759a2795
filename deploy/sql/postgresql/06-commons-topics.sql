-- Commons: the pool's topic directory (PostgreSQL), written for this project.
--
-- One row per topic. Registering a topic is one indexed insert (the directory grain it replaces
-- rewrote its whole sorted list for each new topic), GET /v1/topics reads it a page at a time in
-- topic order, and Pool:MaxTopics caps how many rows a pool takes.
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS CommonsTopics
(
    ServiceId varchar(150) NOT NULL,
    Topic     varchar(64) COLLATE "C" NOT NULL,
    CreatedAt timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (ServiceId, Topic)
);

-- Once: the topics the directory grain listed (grain type "pooldirectory", System.Text.Json state).
INSERT INTO CommonsTopics (ServiceId, Topic)
SELECT s.ServiceId, t.topic
FROM OrleansStorage s
CROSS JOIN LATERAL jsonb_array_elements_text(convert_from(s.PayloadBinary, 'UTF8')::jsonb -> 'Topics') AS t(topic)
WHERE s.GrainTypeString = 'pooldirectory'
  AND s.PayloadBinary IS NOT NULL
  AND jsonb_typeof(convert_from(s.PayloadBinary, 'UTF8')::jsonb -> 'Topics') = 'array'
  AND NOT EXISTS (SELECT 1 FROM CommonsMigrations WHERE Name = 'topics-from-directory-grain')
ON CONFLICT DO NOTHING;

INSERT INTO CommonsMigrations (Name) VALUES ('topics-from-directory-grain')
ON CONFLICT DO NOTHING;
