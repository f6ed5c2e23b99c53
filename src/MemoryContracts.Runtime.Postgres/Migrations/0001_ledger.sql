-- MemoryContracts ledger, version 1. Every table is scoped to an owner, named by the session setting
-- memorycontracts.owner; row-level security (forced, so it binds the tables' owner too) lets a session see and
-- write only its owner's rows.

CREATE TABLE memory_graphs (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    id           text        NOT NULL,
    header       text        NOT NULL,
    PRIMARY KEY (owner, id)
);

-- The head of each graph's chain: the last sequence and MAC. An append moves it from the head it read to the
-- new one in the same statement that inserts the rows, so two writers can never both extend the same head.
CREATE TABLE memory_heads (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    graph        text        NOT NULL,
    head_seq     bigint      NOT NULL,
    head_mac     bytea       NOT NULL,
    PRIMARY KEY (owner, graph)
);

CREATE TABLE memory_events (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    graph        text        NOT NULL,
    seq          bigint      NOT NULL,
    event_id     text,
    kind         text,
    path         text,
    at           text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('pending', 'committed', 'failed')),
    status_note  text,
    status_at    timestamptz NOT NULL DEFAULT now(),
    body         text        NOT NULL,
    body_json    jsonb       GENERATED ALWAYS AS (body::jsonb) STORED,
    key_version  text        NOT NULL,
    mac          bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, graph, seq),
    UNIQUE (owner, graph, event_id)
);

CREATE INDEX memory_events_kind ON memory_events (owner, graph, kind);
CREATE INDEX memory_events_status ON memory_events (owner, status, status_at) WHERE status <> 'committed';

CREATE TABLE memory_idempotency (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    scope        text        NOT NULL,
    key          text        NOT NULL,
    outcome      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (owner, scope, key)
);

CREATE INDEX memory_idempotency_expiry ON memory_idempotency (expires_at);

CREATE TABLE memory_profiles (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    id           text        NOT NULL,
    body         text        NOT NULL,
    PRIMARY KEY (owner, id)
);

CREATE TABLE memory_snapshots (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    graph        text        NOT NULL,
    seq          bigint      NOT NULL,
    body         text        NOT NULL,
    PRIMARY KEY (owner, graph)
);

CREATE TABLE memory_audit (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    position     bigserial,
    body         text        NOT NULL,
    PRIMARY KEY (owner, position)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['memory_graphs', 'memory_heads', 'memory_events', 'memory_idempotency', 'memory_profiles', 'memory_snapshots', 'memory_audit']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format('CREATE POLICY owner_only ON %I USING (owner = current_setting(''memorycontracts.owner'', true)) WITH CHECK (owner = current_setting(''memorycontracts.owner'', true))', name);
    END LOOP;
END $$;
