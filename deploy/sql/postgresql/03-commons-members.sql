-- Commons: the pool's member directory (PostgreSQL), written for this project.
--
-- One row per admitted member key. The HTTP API looks a key up here before it calls any grain, so a
-- request from a key that was never admitted costs one indexed read and activates nothing. A
-- member's ledger and reputation stay in its contributor grain; this table only says "admitted",
-- and IsPeer whether the key is another pool's, admitted with a peer invite (only peers read the feed).
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS CommonsMembers
(
    ServiceId  varchar(150) NOT NULL,
    MemberKey  varchar(64)  NOT NULL,
    AdmittedAt timestamptz  NOT NULL DEFAULT now(),
    IsPeer     boolean      NOT NULL DEFAULT false,
    PRIMARY KEY (ServiceId, MemberKey)
);

CREATE TABLE IF NOT EXISTS CommonsMigrations
(
    Name      varchar(64) NOT NULL PRIMARY KEY,
    AppliedOn timestamptz NOT NULL DEFAULT now()
);

-- Once: members admitted before the directory existed, from their contributor grains' state
-- (grain type "contributor", keyed by the member key, stored as System.Text.Json).
INSERT INTO CommonsMembers (ServiceId, MemberKey)
SELECT ServiceId, GrainIdExtensionString
FROM OrleansStorage
WHERE GrainTypeString = 'contributor'
  AND PayloadBinary IS NOT NULL
  AND (convert_from(PayloadBinary, 'UTF8')::jsonb ->> 'Admitted') = 'true'
  AND NOT EXISTS (SELECT 1 FROM CommonsMigrations WHERE Name = 'members-from-contributor-grains')
ON CONFLICT DO NOTHING;

INSERT INTO CommonsMigrations (Name) VALUES ('members-from-contributor-grains')
ON CONFLICT DO NOTHING;
