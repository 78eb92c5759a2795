-- Commons: the pool's governance (PostgreSQL), written for this project.
--
-- CommonsQuarantine: artifacts the pool's policy refused on arrival and insights members reported,
--   until an admin accepts or removes them (`commons pool moderation`).
-- CommonsAudit: every admin action (and every suspension the policy's rule made), readable by members
--   (GET /v1/audit, `commons pool audit`).
-- CommonsViolations: each member's violations (refused arrivals, removed insights) and whether the
--   policy's rule suspended it.
-- CommonsWithdrawals: every artifact the pool withdrew (removed by an admin, or erased by its
--   contributor), with the statement that withdrew it; topic grains load it when they activate and
--   peer pools read it (GET /v1/feed/withdrawals).
--
-- Idempotent: every statement can run again on a database that already has the schema.

CREATE TABLE IF NOT EXISTS CommonsQuarantine
(
    Id          bigserial     PRIMARY KEY,
    ServiceId   varchar(150)  NOT NULL,
    Kind        varchar(16)   NOT NULL,
    Topic       varchar(128)  NOT NULL,
    InsightId   varchar(200)  NOT NULL,
    Contributor varchar(64)   NOT NULL,
    Reason      varchar(32)   NOT NULL,
    Detail      text          NOT NULL,
    Reporter    varchar(64)   NULL,
    ArtifactJson text         NULL,
    CreatedAt   timestamptz   NOT NULL DEFAULT now(),
    Resolution  varchar(16)   NULL,
    ResolvedAt  timestamptz   NULL
);

CREATE INDEX IF NOT EXISTS CommonsQuarantineOpen ON CommonsQuarantine (ServiceId, Id) WHERE Resolution IS NULL;

-- One report per member and insight: reporting again changes nothing.
CREATE UNIQUE INDEX IF NOT EXISTS CommonsQuarantineOneReport ON CommonsQuarantine (ServiceId, Topic, InsightId, Reporter) WHERE Reporter IS NOT NULL;

CREATE TABLE IF NOT EXISTS CommonsAudit
(
    Seq       bigserial    PRIMARY KEY,
    ServiceId varchar(150) NOT NULL,
    At        timestamptz  NOT NULL DEFAULT now(),
    Actor     varchar(64)  NOT NULL,
    Action    varchar(32)  NOT NULL,
    Target    varchar(200) NOT NULL,
    Detail    text         NOT NULL
);

CREATE INDEX IF NOT EXISTS CommonsAuditByService ON CommonsAudit (ServiceId, Seq);

CREATE TABLE IF NOT EXISTS CommonsViolations
(
    ServiceId   varchar(150) NOT NULL,
    MemberKey   varchar(64)  NOT NULL,
    Violations  integer      NOT NULL DEFAULT 0,
    SuspendedAt timestamptz  NULL,
    PRIMARY KEY (ServiceId, MemberKey)
);

CREATE TABLE IF NOT EXISTS CommonsWithdrawals
(
    Seq        bigserial    PRIMARY KEY,
    ServiceId  varchar(150) NOT NULL,
    Topic      varchar(128) NOT NULL,
    ArtifactId varchar(64)  NOT NULL,
    Kind       varchar(16)  NOT NULL,
    Statement  text         NOT NULL,
    At         timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (ServiceId, Topic, ArtifactId)
);
