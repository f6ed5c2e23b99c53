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
