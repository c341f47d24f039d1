-- Receipt-photo points (SQLite): each uploaded photo with what was read from it and what was
-- decided, and the claims that make one receipt earn once. The PostgreSQL twin differs only in
-- id generation.

CREATE TABLE receipts (
    id               INTEGER PRIMARY KEY,
    member_id        BIGINT NOT NULL REFERENCES members(id),
    -- Storage keys of the re-encoded photo (metadata stripped) and its thumbnail.
    photo_key        TEXT NOT NULL,
    thumb_key        TEXT NOT NULL,
    -- SHA-256 (hex) of the bytes as uploaded.
    sha256           TEXT NOT NULL,
    photo_bytes      BIGINT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('recognising', 'approved', 'review', 'rejected')),
    -- While recognising: until when the current reader holds it (a crashed reader's lease runs out).
    lease_until      BIGINT,
    recognised_at    BIGINT,
    -- As read (or as corrected by the operator who approved it).
    merchant         TEXT,
    unit_no          TEXT,
    receipt_no       TEXT,
    -- The receipt number with look-alikes folded: the duplicate key.
    receipt_key      TEXT,
    gross_fen        BIGINT,
    discount_fen     BIGINT,
    total_fen        BIGINT,
    amount_check     TEXT,
    -- The purchase time in UTC ms and as printed (mall-local `YYYY-MM-DD HH:MM`, or the date).
    purchased_at     BIGINT,
    purchased_text   TEXT,
    tenant_id        BIGINT REFERENCES tenants(id),
    -- Tenant match score in thousandths (0–1000).
    tenant_score     BIGINT,
    -- Why it is not approved (a stable code), every reason found, and the operator's words.
    reason           TEXT,
    reasons          TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    points           BIGINT NOT NULL DEFAULT 0,
    award_id         BIGINT,
    reviewed_by      BIGINT REFERENCES staff(id),
    decided_at       BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX receipts_member ON receipts(member_id, id);
CREATE INDEX receipts_status ON receipts(status, created_at);
CREATE INDEX receipts_sha ON receipts(sha256);
CREATE INDEX receipts_key ON receipts(tenant_id, receipt_key);
CREATE INDEX receipts_minute ON receipts(tenant_id, total_fen, purchased_text);

-- One row per thing that may earn once: `no:<tenant>:<receipt key>`, `sha:<hash>`,
-- `tam:<tenant>:<fen>:<minute>`. Inserted with the approval, so of two approvals racing over
-- one receipt exactly one commits its claim.
CREATE TABLE receipt_claims (
    claim       TEXT PRIMARY KEY,
    receipt_id  BIGINT NOT NULL REFERENCES receipts(id),
    created_at  BIGINT NOT NULL
);
