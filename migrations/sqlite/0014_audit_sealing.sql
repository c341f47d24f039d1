-- Audit entries are written unsealed inside their transaction and chained after commit by one
-- sealer at a time (docs/decisions/0015-audit-sealing.md): `seq`, `prev_hash` and `hash` are
-- filled by the sealer. SQLite cannot change a primary key: the table is rebuilt, the old
-- sequence numbers becoming the ids.
CREATE TABLE audit_log_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    txid            BIGINT NOT NULL DEFAULT 0,
    seq             BIGINT UNIQUE,
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    member_id       BIGINT,
    tenant_id       BIGINT,
    subject         TEXT NOT NULL DEFAULT '',
    amount          BIGINT NOT NULL DEFAULT 0,
    details         TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    prev_hash       TEXT,
    hash            TEXT,
    CHECK ((seq IS NULL) = (hash IS NULL))
);
INSERT INTO audit_log_new (id, txid, seq, at, actor, action, member_id, tenant_id, subject, amount, details, reason, prev_hash, hash)
SELECT seq, 0, seq, at, actor, action, member_id, tenant_id, subject, amount, details, reason, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_member ON audit_log(member_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_unsealed ON audit_log(txid, id) WHERE seq IS NULL;

-- Signed checkpoints of the chain (its length and newest hash), stored as the server seals.
CREATE TABLE audit_checkpoints (
    seq         BIGINT PRIMARY KEY,
    hash        TEXT NOT NULL,
    at          BIGINT NOT NULL,
    signature   TEXT NOT NULL
);
