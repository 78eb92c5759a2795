-- Commons: each topic's durable log (PostgreSQL), written for this project.
--
-- One row per artifact a topic accepted, in the order it accepted them (Sequence: 1, 2, ... per
-- topic, the feed's cursor): its signed canonical JSON, when the pool received it, and the peer pool
-- it came from (NULL when a member published it here). Rows are only ever inserted. A silo commits
-- the publishes of many requests, across topics, in one multi-row INSERT and answers them after
-- that commit (group commit); a topic's groups are derived from its rows when its grain activates.
-- The primary key refuses a second writer of the same position, which makes that writer reload.
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS CommonsTopicLog
(
    ServiceId  varchar(150) NOT NULL,
    Topic      varchar(64) COLLATE "C" NOT NULL,
    Sequence   bigint       NOT NULL,
    Json       text         NOT NULL,
    ReceivedAt timestamptz  NOT NULL,
    Source     text         NULL,
    PRIMARY KEY (ServiceId, Topic, Sequence)
);

-- Once: the logs the segment grains held (grain type "segment", key "topic/index", System.Text.Json
-- state {"Items": [{"Sequence", "Json", "ReceivedAt", "Source"}]}). Stop every silo of the pool
-- before upgrading, so that none writes a segment after this copy.
INSERT INTO CommonsTopicLog (ServiceId, Topic, Sequence, Json, ReceivedAt, Source)
SELECT s.ServiceId,
       left(s.GrainIdExtensionString, length(s.GrainIdExtensionString) - strpos(reverse(s.GrainIdExtensionString), '/')),
       (i.item ->> 'Sequence')::bigint,
       i.item ->> 'Json',
       (i.item ->> 'ReceivedAt')::timestamptz,
       i.item ->> 'Source'
FROM OrleansStorage s
CROSS JOIN LATERAL jsonb_array_elements(convert_from(s.PayloadBinary, 'UTF8')::jsonb -> 'Items') AS i(item)
WHERE s.GrainTypeString = 'segment'
  AND s.PayloadBinary IS NOT NULL
  AND strpos(s.GrainIdExtensionString, '/') > 0
  AND jsonb_typeof(convert_from(s.PayloadBinary, 'UTF8')::jsonb -> 'Items') = 'array'
  AND NOT EXISTS (SELECT 1 FROM CommonsMigrations WHERE Name = 'topic-log-from-segments')
ON CONFLICT DO NOTHING;

INSERT INTO CommonsMigrations (Name) VALUES ('topic-log-from-segments')
ON CONFLICT DO NOTHING;
