-- MemoryContracts ledger, version 2. Lifecycle plans the workspace issued are recorded (a plan applies only as it
-- was issued), and profiles, graph headers and plans carry an HMAC like event rows do, so an edit in SQL is noticed
-- when they are read. Rows written before this version have no MAC and are refused until they are written again.
-- An idempotency key remembers the fingerprint of the request that claimed it, so a different request with the
-- same key is refused instead of being answered with the first outcome.

CREATE TABLE memory_plans (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    graph        text        NOT NULL,
    id           text        NOT NULL,
    body         text        NOT NULL,
    key_version  text        NOT NULL,
    mac          bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, graph, id)
);

ALTER TABLE memory_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_plans FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON memory_plans USING (owner = current_setting('memorycontracts.owner', true)) WITH CHECK (owner = current_setting('memorycontracts.owner', true));

ALTER TABLE memory_profiles ADD COLUMN key_version text, ADD COLUMN mac bytea;
ALTER TABLE memory_graphs ADD COLUMN key_version text, ADD COLUMN mac bytea;

ALTER TABLE memory_idempotency ADD COLUMN fingerprint text;

-- A status change of the write saga (pending -> committed or failed) carries its own MAC over the row's MAC, the new
-- status and the note; a row written as pending is signed with its status, so a status set by hand is noticed.
ALTER TABLE memory_events ADD COLUMN status_mac bytea;

-- The audit log is a chain too: each record's MAC covers the one before it, and a head row per owner names the last.
ALTER TABLE memory_audit ADD COLUMN seq bigint, ADD COLUMN key_version text, ADD COLUMN mac bytea;
CREATE UNIQUE INDEX memory_audit_seq ON memory_audit (owner, seq);

CREATE TABLE memory_audit_heads (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    head_seq     bigint      NOT NULL,
    head_mac     bytea       NOT NULL,
    PRIMARY KEY (owner)
);

ALTER TABLE memory_audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON memory_audit_heads USING (owner = current_setting('memorycontracts.owner', true)) WITH CHECK (owner = current_setting('memorycontracts.owner', true));
