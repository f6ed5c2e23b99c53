-- The journal of a lifecycle apply in progress: the audit record it will write, saved before its ledger row. A
-- crash between the ledger row, the history rewrite and the audit record leaves it here, and the next open finishes
-- the apply from it (scrubs what it forgot, writes the audit record once). Signed like plans and profiles.
CREATE TABLE memory_journals (
    owner        text        NOT NULL DEFAULT current_setting('memorycontracts.owner'),
    graph        text        NOT NULL,
    body         text        NOT NULL,
    key_version  text        NOT NULL,
    mac          bytea       NOT NULL,
    PRIMARY KEY (owner, graph)
);

ALTER TABLE memory_journals ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_journals FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON memory_journals USING (owner = current_setting('memorycontracts.owner', true)) WITH CHECK (owner = current_setting('memorycontracts.owner', true));
