-- Commons: cluster membership for the community silos (PostgreSQL).
--
-- Written for this project from the contract of Microsoft.Orleans.Clustering.AdoNet: at start-up
-- the provider runs "SELECT QueryKey, QueryText FROM OrleansQuery" and then only ever runs the
-- named queries below, with these parameters (Npgsql binds @Name) and these result columns:
--
--   InsertMembershipVersionKey   @DeploymentId -> one boolean: true when the version row was created
--   MembershipReadAllKey         @DeploymentId -> the table version row joined with every member:
--   MembershipReadRowKey         @DeploymentId, @Address, @Port, @Generation -> the same, one member
--        columns: Version, and (NULL when there is no member) Address, Port, Generation, SiloName,
--        HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime.
--        There is always at least one row (the version), so the provider can read the table's etag.
--   InsertMembershipKey          @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
--                                @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version
--                                -> one boolean: the member was added AND the table version moved
--                                from @Version to @Version + 1, atomically.
--   UpdateMembershipKey          @DeploymentId, @Address, @Port, @Generation, @Status,
--                                @SuspectTimes, @IAmAliveTime, @Version -> one boolean, likewise.
--   UpdateIAmAlivetimeKey        @DeploymentId, @Address, @Port, @Generation, @IAmAliveTime (no result)
--   GatewaysQueryKey             @DeploymentId, @Status -> Address, ProxyPort, Generation of the
--                                members with that status and a gateway port.
--   DeleteMembershipTableEntriesKey  @DeploymentId (no result)
--   CleanupDefunctSiloEntriesKey @DeploymentId, @IAmAliveTime -> removes dead members not alive since
--   CleanupDefunctSiloEntryKey   @DeploymentId, @Address, @Port, @Generation, @StartTime,
--                                @IAmAliveTime, @SuspectTimes -> removes that dead member if unchanged
--
-- Status is Orleans' SiloStatus as an integer (3 = Active, 6 = Dead). The table version is an
-- optimistic-concurrency etag: a writer first locks the version row *at the version it read*
-- (SELECT ... FOR UPDATE re-checks the condition after a concurrent commit), so two silos can never
-- both win the same version.
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (CAST(@DeploymentId AS varchar))
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT v.Version AS "Version",
       m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status",
       m.ProxyPort AS "ProxyPort", m.SuspectTimes AS "SuspectTimes",
       m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime"
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = CAST(@DeploymentId AS varchar);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT v.Version AS "Version",
       m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status",
       m.ProxyPort AS "ProxyPort", m.SuspectTimes AS "SuspectTimes",
       m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime"
FROM OrleansMembershipVersionTable v
LEFT OUTER JOIN OrleansMembershipTable m
    ON m.DeploymentId = v.DeploymentId
   AND m.Address = CAST(@Address AS varchar)
   AND m.Port = CAST(@Port AS integer)
   AND m.Generation = CAST(@Generation AS integer)
WHERE v.DeploymentId = CAST(@DeploymentId AS varchar);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
WITH locked AS (
    SELECT DeploymentId FROM OrleansMembershipVersionTable
    WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Version = CAST(@Version AS integer)
    FOR UPDATE),
added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT locked.DeploymentId, CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
           CAST(@SiloName AS varchar), CAST(@HostName AS varchar), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
           CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
    FROM locked
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId),
bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    FROM added
    WHERE v.DeploymentId = added.DeploymentId
    RETURNING v.Version)
SELECT EXISTS (SELECT 1 FROM bumped);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
WITH locked AS (
    SELECT DeploymentId FROM OrleansMembershipVersionTable
    WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Version = CAST(@Version AS integer)
    FOR UPDATE),
changed AS (
    UPDATE OrleansMembershipTable m
    SET Status = CAST(@Status AS integer),
        SuspectTimes = CAST(@SuspectTimes AS varchar),
        IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
    FROM locked
    WHERE m.DeploymentId = locked.DeploymentId
      AND m.Address = CAST(@Address AS varchar)
      AND m.Port = CAST(@Port AS integer)
      AND m.Generation = CAST(@Generation AS integer)
    RETURNING m.DeploymentId),
bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    FROM changed
    WHERE v.DeploymentId = changed.DeploymentId
    RETURNING v.Version)
SELECT EXISTS (SELECT 1 FROM bumped);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Address = CAST(@Address AS varchar)
  AND Port = CAST(@Port AS integer)
  AND Generation = CAST(@Generation AS integer);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT Address AS "Address", ProxyPort AS "ProxyPort", Generation AS "Generation"
FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Status = CAST(@Status AS integer)
  AND ProxyPort > 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = CAST(@DeploymentId AS varchar);
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = CAST(@DeploymentId AS varchar);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Status = 6
  AND IAmAliveTime < CAST(@IAmAliveTime AS timestamptz);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Address = CAST(@Address AS varchar)
  AND Port = CAST(@Port AS integer)
  AND Generation = CAST(@Generation AS integer)
  AND Status = 6
  AND StartTime = CAST(@StartTime AS timestamptz)
  AND IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
  AND SuspectTimes IS NOT DISTINCT FROM CAST(@SuspectTimes AS varchar);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
