-- Plaza foundation schema (SQLite). The PostgreSQL twin lives in ../postgres with the same file
-- name; the two differ only in how ids are generated. Times are UTC milliseconds (BIGINT), money
-- is integer fen (BIGINT), flags are 0/1 (BIGINT).

CREATE TABLE mall (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    created_at  BIGINT NOT NULL
);

-- Operator-configurable values (earning rules, caps, windows), JSON by key.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE tenant_categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    sort        BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tenants (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    unit_no         TEXT NOT NULL,
    floor           TEXT NOT NULL,
    category_id     BIGINT NOT NULL REFERENCES tenant_categories(id),
    kind            TEXT NOT NULL CHECK (kind IN ('plate', 'restaurant', 'store')),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    description_zh  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    logo_path       TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX tenants_unit_no ON tenants(unit_no);

-- Other names a tenant is known by (receipt headers, former names), for matching.
CREATE TABLE tenant_aliases (
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    alias       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, alias)
);

-- Dining areas; a shared area (food court) is used by several restaurants.
CREATE TABLE dining_areas (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    floor       TEXT NOT NULL,
    shared      BIGINT NOT NULL DEFAULT 0 CHECK (shared IN (0, 1))
);

CREATE TABLE dining_area_tenants (
    area_id     BIGINT NOT NULL REFERENCES dining_areas(id),
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    PRIMARY KEY (area_id, tenant_id)
);

-- Member levels by qualifying spend over a rolling 12 months (thresholds are operator-configurable).
CREATE TABLE levels (
    code            TEXT PRIMARY KEY,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    rank            BIGINT NOT NULL UNIQUE,
    min_spend_fen   BIGINT NOT NULL CHECK (min_spend_fen >= 0),
    multiplier_pct  BIGINT NOT NULL DEFAULT 100 CHECK (multiplier_pct > 0)
);

CREATE TABLE members (
    id                  INTEGER PRIMARY KEY,
    phone               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL DEFAULT '',
    birthday            TEXT,
    level_code          TEXT NOT NULL REFERENCES levels(code),
    id_number_hash      TEXT,
    id_number_last4     TEXT,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'disabled')),
    merged_into         BIGINT REFERENCES members(id),
    invited_by          BIGINT REFERENCES members(id),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
-- One person, one member: a verified national ID may belong to one active member only.
CREATE UNIQUE INDEX members_id_number ON members(id_number_hash)
    WHERE id_number_hash IS NOT NULL AND status = 'active';

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('operator_admin', 'operator_staff', 'tenant_owner',
                                                  'tenant_cashier', 'tenant_kitchen', 'tenant_fulfilment')),
    tenant_id       BIGINT REFERENCES tenants(id),
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CHECK ((role LIKE 'tenant%' AND tenant_id IS NOT NULL) OR (role LIKE 'operator%' AND tenant_id IS NULL))
);
CREATE INDEX staff_tenant ON staff(tenant_id);

-- Sessions live in the database so several server instances can serve one user. The cookie holds
-- a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    member_id       BIGINT REFERENCES members(id),
    staff_id        BIGINT REFERENCES staff(id),
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    user_agent      TEXT NOT NULL DEFAULT '',
    ip              TEXT NOT NULL DEFAULT '',
    CHECK ((member_id IS NULL AND staff_id IS NOT NULL) OR (member_id IS NOT NULL AND staff_id IS NULL))
);
CREATE INDEX sessions_member ON sessions(member_id);
CREATE INDEX sessions_staff ON sessions(staff_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- One-time SMS codes; only a keyed hash of the code is kept.
CREATE TABLE sms_codes (
    id              INTEGER PRIMARY KEY,
    phone           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    code_hash       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    consumed_at     BIGINT,
    attempts        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sms_codes_phone ON sms_codes(phone, purpose, created_at);

-- Every SMS the mall sends, written in the transaction that decided to send it. The development
-- provider stops here (tests and the demo read it); a real provider delivers and marks it.
CREATE TABLE sms_outbox (
    id              INTEGER PRIMARY KEY,
    phone           TEXT NOT NULL,
    body            TEXT NOT NULL,
    provider        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    provider_ref    TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX sms_outbox_phone ON sms_outbox(phone, id);

-- Sliding-window rate limits shared by every server instance.
CREATE TABLE rate_limit_hits (
    bucket      TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX rate_limit_hits_bucket ON rate_limit_hits(bucket, at);

INSERT INTO levels (code, name_zh, name_en, rank, min_spend_fen, multiplier_pct) VALUES
    ('normal',  '普卡',   'Classic',  1, 0,         100),
    ('silver',  '银卡',   'Silver',   2, 500000,    120),
    ('gold',    '金卡',   'Gold',     3, 2000000,   150),
    ('diamond', '钻石卡', 'Diamond',  4, 5000000,   200);
