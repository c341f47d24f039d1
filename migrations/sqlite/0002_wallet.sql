-- Member wallet (SQLite): points lots and ledger, qualifying spend for levels, coupons, stored
-- value, the points mall, check-in, invites, durable jobs and the hash-chained audit log.
-- The PostgreSQL twin differs only in id generation.

-- One row per member; `available` = remaining points of available lots − `debt`.
CREATE TABLE points_accounts (
    member_id   BIGINT PRIMARY KEY REFERENCES members(id),
    available   BIGINT NOT NULL DEFAULT 0,
    pending     BIGINT NOT NULL DEFAULT 0 CHECK (pending >= 0),
    debt        BIGINT NOT NULL DEFAULT 0 CHECK (debt >= 0),
    updated_at  BIGINT NOT NULL
);

-- A purchase (or other source) that earned points: the idempotency record of award_for_purchase.
CREATE TABLE points_awards (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    earner_id       BIGINT NOT NULL REFERENCES members(id),
    tenant_id       BIGINT REFERENCES tenants(id),
    source          TEXT NOT NULL,
    external_ref    TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen >= 0),
    points          BIGINT NOT NULL CHECK (points >= 0),
    refunded_fen    BIGINT NOT NULL DEFAULT 0,
    reversed_points BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    UNIQUE (source, external_ref)
);
CREATE INDEX points_awards_member ON points_awards(member_id, created_at);

-- Each earning is a lot with its own state and expiry.
CREATE TABLE points_lots (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id),
    award_id    BIGINT REFERENCES points_awards(id),
    source      TEXT NOT NULL,
    tenant_id   BIGINT REFERENCES tenants(id),
    earned      BIGINT NOT NULL CHECK (earned > 0),
    remaining   BIGINT NOT NULL CHECK (remaining >= 0 AND remaining <= earned),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'available', 'spent', 'expired', 'reversed')),
    earned_at   BIGINT NOT NULL,
    matures_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX points_lots_member ON points_lots(member_id, state, expires_at, id);
CREATE INDEX points_lots_maturing ON points_lots(state, matures_at);
CREATE INDEX points_lots_expiring ON points_lots(state, expires_at);

-- The append-only ledger: every change of a member's points.
CREATE TABLE points_movements (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    kind            TEXT NOT NULL CHECK (kind IN ('earn', 'mature', 'spend', 'expire', 'reverse', 'adjust', 'debt')),
    points          BIGINT NOT NULL,
    available_after BIGINT NOT NULL,
    pending_after   BIGINT NOT NULL,
    tenant_id       BIGINT REFERENCES tenants(id),
    source          TEXT NOT NULL,
    ref             TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX points_movements_member ON points_movements(member_id, id);
CREATE INDEX points_movements_time ON points_movements(created_at);

-- Which lots a movement drew on (spends, reversals, expiry, debt recovery).
CREATE TABLE points_lot_uses (
    movement_id BIGINT NOT NULL REFERENCES points_movements(id),
    lot_id      BIGINT NOT NULL REFERENCES points_lots(id),
    points      BIGINT NOT NULL CHECK (points > 0),
    PRIMARY KEY (movement_id, lot_id)
);

-- Each refund that reversed points, so a repeated refund notification reverses once.
CREATE TABLE points_refunds (
    refund_ref      TEXT PRIMARY KEY,
    award_id        BIGINT NOT NULL REFERENCES points_awards(id),
    refunded_fen    BIGINT NOT NULL,
    points          BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);

-- Daily earning per member, for the daily cap.
CREATE TABLE points_daily_earned (
    member_id   BIGINT NOT NULL REFERENCES members(id),
    day         TEXT NOT NULL,
    points      BIGINT NOT NULL,
    PRIMARY KEY (member_id, day)
);

-- Earning overrides and campaigns (the base rate lives in settings).
CREATE TABLE points_rate_overrides (
    id                  INTEGER PRIMARY KEY,
    category_id         BIGINT REFERENCES tenant_categories(id),
    tenant_id           BIGINT REFERENCES tenants(id),
    points_per_yuan_milli BIGINT NOT NULL CHECK (points_per_yuan_milli >= 0),
    CHECK ((category_id IS NULL) <> (tenant_id IS NULL))
);
CREATE UNIQUE INDEX points_rate_overrides_category ON points_rate_overrides(category_id) WHERE category_id IS NOT NULL;
CREATE UNIQUE INDEX points_rate_overrides_tenant ON points_rate_overrides(tenant_id) WHERE tenant_id IS NOT NULL;

CREATE TABLE points_campaigns (
    id              INTEGER PRIMARY KEY,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    multiplier_pct  BIGINT NOT NULL CHECK (multiplier_pct > 0),
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    category_id     BIGINT REFERENCES tenant_categories(id),
    tenant_id       BIGINT REFERENCES tenants(id),
    created_at      BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);

-- Qualifying spend for levels (rolling 12 months).
CREATE TABLE level_spend (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id),
    award_id    BIGINT REFERENCES points_awards(id),
    amount_fen  BIGINT NOT NULL,
    spent_at    BIGINT NOT NULL
);
CREATE INDEX level_spend_member ON level_spend(member_id, spent_at);

-- Coupons
CREATE TABLE coupon_templates (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    name_zh             TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL CHECK (kind IN ('amount_off', 'percent_off', 'threshold_off', 'experience', 'parking', 'cash', 'birthday')),
    value_fen           BIGINT NOT NULL DEFAULT 0 CHECK (value_fen >= 0),
    percent_off         BIGINT NOT NULL DEFAULT 0 CHECK (percent_off >= 0 AND percent_off < 100),
    threshold_fen       BIGINT NOT NULL DEFAULT 0 CHECK (threshold_fen >= 0),
    parking_minutes     BIGINT NOT NULL DEFAULT 0,
    scope_kind          TEXT NOT NULL DEFAULT 'mall' CHECK (scope_kind IN ('mall', 'category', 'tenant', 'products')),
    scope_ids           TEXT NOT NULL DEFAULT '',
    valid_from          BIGINT,
    valid_until         BIGINT,
    valid_days          BIGINT,
    per_member_limit    BIGINT NOT NULL DEFAULT 1 CHECK (per_member_limit > 0),
    total_stock         BIGINT,
    issued_count        BIGINT NOT NULL DEFAULT 0,
    claimable           BIGINT NOT NULL DEFAULT 0 CHECK (claimable IN (0, 1)),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    description_zh      TEXT NOT NULL DEFAULT '',
    description_en      TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    CHECK (total_stock IS NULL OR issued_count <= total_stock),
    CHECK ((valid_days IS NOT NULL) OR (valid_until IS NOT NULL))
);

CREATE TABLE coupon_member_counts (
    template_id BIGINT NOT NULL REFERENCES coupon_templates(id),
    member_id   BIGINT NOT NULL REFERENCES members(id),
    issued      BIGINT NOT NULL,
    PRIMARY KEY (template_id, member_id)
);

CREATE TABLE coupons (
    id              INTEGER PRIMARY KEY,
    template_id     BIGINT NOT NULL REFERENCES coupon_templates(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    code            TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('available', 'reserved', 'redeemed', 'void')),
    channel         TEXT NOT NULL,
    issued_at       BIGINT NOT NULL,
    valid_from      BIGINT NOT NULL,
    valid_until     BIGINT NOT NULL,
    reserved_by     TEXT,
    reserved_at     BIGINT,
    redeemed_at     BIGINT,
    redeemed_ref    TEXT
);
CREATE INDEX coupons_member ON coupons(member_id, state, valid_until);
CREATE INDEX coupons_template ON coupons(template_id);

CREATE TABLE coupon_events (
    id          INTEGER PRIMARY KEY,
    coupon_id   BIGINT NOT NULL REFERENCES coupons(id),
    event       TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX coupon_events_coupon ON coupon_events(coupon_id, id);

-- Stored value
CREATE TABLE sv_accounts (
    member_id   BIGINT PRIMARY KEY REFERENCES members(id),
    balance_fen BIGINT NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
    updated_at  BIGINT NOT NULL
);

CREATE TABLE sv_movements (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    kind            TEXT NOT NULL CHECK (kind IN ('topup', 'bonus', 'spend', 'refund', 'adjust')),
    amount_fen      BIGINT NOT NULL,
    balance_after   BIGINT NOT NULL CHECK (balance_after >= 0),
    ref             TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX sv_movements_member ON sv_movements(member_id, id);
-- A payment or refund moves stored value once, however often it is reported.
CREATE UNIQUE INDEX sv_movements_ref ON sv_movements(kind, ref) WHERE ref <> '';
CREATE INDEX sv_movements_time ON sv_movements(created_at);

-- Points mall
CREATE TABLE rewards (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('coupon', 'gift', 'parking')),
    name_zh             TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    description_zh      TEXT NOT NULL DEFAULT '',
    description_en      TEXT NOT NULL DEFAULT '',
    points_price        BIGINT NOT NULL CHECK (points_price > 0),
    stock               BIGINT,
    redeemed_count      BIGINT NOT NULL DEFAULT 0,
    per_member_limit    BIGINT,
    coupon_template_id  BIGINT REFERENCES coupon_templates(id),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    sort                BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    CHECK (stock IS NULL OR redeemed_count <= stock),
    CHECK ((kind = 'gift') = (coupon_template_id IS NULL))
);

CREATE TABLE reward_member_counts (
    reward_id   BIGINT NOT NULL REFERENCES rewards(id),
    member_id   BIGINT NOT NULL REFERENCES members(id),
    redeemed    BIGINT NOT NULL,
    PRIMARY KEY (reward_id, member_id)
);

CREATE TABLE reward_redemptions (
    id              INTEGER PRIMARY KEY,
    reward_id       BIGINT NOT NULL REFERENCES rewards(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    points          BIGINT NOT NULL,
    coupon_id       BIGINT REFERENCES coupons(id),
    voucher_code    TEXT UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('issued', 'collected')),
    request_key     TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    collected_at    BIGINT
);
CREATE INDEX reward_redemptions_member ON reward_redemptions(member_id, id);

-- Daily check-in, once per member per mall-local day.
CREATE TABLE checkins (
    member_id   BIGINT NOT NULL REFERENCES members(id),
    day         TEXT NOT NULL,
    streak      BIGINT NOT NULL,
    points      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (member_id, day)
);

-- Invites
CREATE TABLE invite_codes (
    member_id   BIGINT PRIMARY KEY REFERENCES members(id),
    code        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE invite_rewards (
    invitee_id  BIGINT PRIMARY KEY REFERENCES members(id),
    inviter_id  BIGINT NOT NULL REFERENCES members(id),
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'credited')),
    points      BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    credited_at BIGINT
);
CREATE INDEX invite_rewards_inviter ON invite_rewards(inviter_id);

-- Durable jobs: survive restarts, claimed by a conditional update so no job runs twice.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL DEFAULT '{}',
    unique_key      TEXT UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_at          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    max_attempts    BIGINT NOT NULL DEFAULT 10,
    locked_by       TEXT,
    locked_until    BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX jobs_due ON jobs(state, run_at);

-- The audit log: append-only, each entry carrying the SHA-256 of the one before.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    member_id       BIGINT,
    tenant_id       BIGINT,
    subject         TEXT NOT NULL DEFAULT '',
    amount          BIGINT NOT NULL DEFAULT 0,
    details         TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_member ON audit_log(member_id, seq);

-- The head of the chain: one row, updated by every append (a row lock serialises appenders).
CREATE TABLE audit_head (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
