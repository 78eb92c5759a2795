-- Commons: grain state store for the personal silo (SQLite).
--
-- Microsoft.Orleans.Persistence.AdoNet looks up three named queries in the table
-- OrleansQuery (QueryKey, QueryText) when it starts:
--   ReadFromStorageKey  -> returns PayloadBinary and Version of one grain's state, or no row
--   WriteToStorageKey   -> returns NewGrainStateVersion, or NULL when the version check fails
--   ClearStorageKey     -> returns the new version, or NULL when the version check fails
-- Every query receives @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString (may be NULL) and @ServiceId; writes and clears also @GrainStateVersion
-- (NULL for a grain that has never been stored), and writes @PayloadBinary.
--
-- The script is idempotent: it runs at every start of the personal silo.
--
-- Writes run with synchronous = NORMAL, SQLite's recommended setting in WAL mode: a crash of the
-- process loses nothing that was committed, and the database cannot be corrupted; only an
-- operating-system crash or power loss can drop the last commits. (The setting belongs to the
-- connection and the provider opens its own, so the queries set it themselves.)

PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- The extension string is stored as '' rather than NULL so that the composite key is a real key
-- (SQLite lets NULLs repeat in a unique key) and upserts can target it.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL DEFAULT '',
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
) WITHOUT ROWID;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE ServiceId = @ServiceId
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdHash = @GrainIdHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A first write inserts version 1. A later write only replaces the row whose version the grain
-- holds; any other case changes nothing, so changes() is 0 and the provider sees NULL, which it
-- reports as an inconsistent state (a second activation or a stale grain).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
PRAGMA synchronous = NORMAL;
INSERT INTO OrleansStorage
    (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1, GrainIdExtensionString,
     PayloadBinary, ModifiedOn, Version)
VALUES
    (@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1, IFNULL(@GrainIdExtensionString, ''''),
     @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1)
ON CONFLICT (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
DO UPDATE SET
    PayloadBinary = excluded.PayloadBinary,
    ModifiedOn = excluded.ModifiedOn,
    Version = OrleansStorage.Version + 1
WHERE OrleansStorage.Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN
    (SELECT Version FROM OrleansStorage
     WHERE ServiceId = @ServiceId
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdHash = @GrainIdHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, ''''))
    ELSE NULL END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clearing keeps the row (with no payload) and moves the version on, so a stale grain that
-- still holds the old version cannot write over the cleared state.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
PRAGMA synchronous = NORMAL;
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE ServiceId = @ServiceId
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdHash = @GrainIdHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN
    (SELECT Version FROM OrleansStorage
     WHERE ServiceId = @ServiceId
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdHash = @GrainIdHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, ''''))
    ELSE NULL END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
