-- Commons: grain state of the community silos (PostgreSQL).
--
-- Written for this project from the contract of Microsoft.Orleans.Persistence.AdoNet: the provider
-- reads three named queries from OrleansQuery (QueryKey, QueryText) when it starts:
--   ReadFromStorageKey  -> PayloadBinary and Version of one grain's state, or no row at all
--   WriteToStorageKey   -> exactly one row, NewGrainStateVersion: the new version, or NULL when the
--                          version check fails (the provider then raises InconsistentStateException)
--   ClearStorageKey     -> the same shape as WriteToStorageKey
-- Every query receives @GrainIdHash (integer), @GrainIdN0, @GrainIdN1 (bigint), @GrainTypeHash
-- (integer), @GrainTypeString, @GrainIdExtensionString (text, may be NULL) and @ServiceId; writes and
-- clears also @GrainStateVersion (NULL for a grain that has never been stored), writes @PayloadBinary.
--
-- A missing key extension is stored as '' so that the composite key is a real key and the first
-- write can use INSERT ... ON CONFLICT DO NOTHING: of two activations that both think the grain is
-- new, exactly one inserts. A later write only updates the row whose version the grain holds.
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              varchar(150) NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainIdExtensionString varchar(512) NOT NULL DEFAULT '',
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL,
    Version                integer      NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary AS "PayloadBinary", Version AS "Version"
FROM OrleansStorage
WHERE ServiceId = CAST(@ServiceId AS varchar)
  AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
  AND GrainIdHash = CAST(@GrainIdHash AS integer)
  AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
  AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
  AND GrainTypeString = CAST(@GrainTypeString AS varchar)
  AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = CAST(@PayloadBinary AS bytea), ModifiedOn = now(), Version = Version + 1
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND ServiceId = CAST(@ServiceId AS varchar)
      AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
      AND GrainIdHash = CAST(@GrainIdHash AS integer)
      AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
      AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
      AND GrainTypeString = CAST(@GrainTypeString AS varchar)
      AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '''')
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version),
inserted AS (
    INSERT INTO OrleansStorage
        (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1, GrainIdExtensionString,
         PayloadBinary, ModifiedOn, Version)
    SELECT CAST(@ServiceId AS varchar), CAST(@GrainTypeHash AS integer), CAST(@GrainTypeString AS varchar),
           CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
           COALESCE(CAST(@GrainIdExtensionString AS varchar), ''''), CAST(@PayloadBinary AS bytea), now(), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted LIMIT 1) AS "NewGrainStateVersion";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clearing keeps the row (without payload) and moves the version on, so a stale activation that
-- still holds the old version cannot write over the cleared state.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
WITH cleared AS (
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE ServiceId = CAST(@ServiceId AS varchar)
      AND GrainTypeHash = CAST(@GrainTypeHash AS integer)
      AND GrainIdHash = CAST(@GrainIdHash AS integer)
      AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
      AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
      AND GrainTypeString = CAST(@GrainTypeString AS varchar)
      AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '''')
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version),
created AS (
    -- Clearing a grain that was never stored records an empty state at version 1.
    INSERT INTO OrleansStorage
        (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1, GrainIdExtensionString,
         PayloadBinary, ModifiedOn, Version)
    SELECT CAST(@ServiceId AS varchar), CAST(@GrainTypeHash AS integer), CAST(@GrainTypeString AS varchar),
           CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
           COALESCE(CAST(@GrainIdExtensionString AS varchar), ''''), NULL, now(), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT (SELECT Version FROM cleared UNION ALL SELECT Version FROM created LIMIT 1) AS "NewGrainStateVersion";
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
