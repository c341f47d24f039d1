-- The event outbox (SQLite). See docs/decisions/0010-live-updates.md.

-- Business events written in the transaction of their change. One writer at a time commits, so
-- ids are in commit order and `txid` stays 0 (PostgreSQL fills it with the transaction's id).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    txid        BIGINT NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL,
    tenant_id   BIGINT,
    member_id   BIGINT,
    payload     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX events_order ON events(txid, id);
CREATE INDEX events_tenant ON events(tenant_id, txid, id);
CREATE INDEX events_member ON events(member_id, txid, id);
CREATE INDEX events_created ON events(created_at);
