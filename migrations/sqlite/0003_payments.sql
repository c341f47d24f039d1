-- Payments (SQLite): one payment record for every purchase, its append-only events, refunds,
-- provider notifications, the sandbox provider's own books, tenant sales, payment plates.
-- The PostgreSQL twin differs in id generation and in how the points-ledger kinds widen.

-- Points given back to their lots when a payment that used them is cancelled or refunded.
-- (SQLite cannot alter a CHECK: the table is rebuilt; foreign keys are checked at commit.)
PRAGMA defer_foreign_keys = ON;
CREATE TABLE points_movements_new (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    kind            TEXT NOT NULL CHECK (kind IN ('earn', 'mature', 'spend', 'expire', 'reverse', 'adjust', 'debt', 'restore')),
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
INSERT INTO points_movements_new SELECT * FROM points_movements;
DROP TABLE points_movements;
ALTER TABLE points_movements_new RENAME TO points_movements;
CREATE INDEX points_movements_member ON points_movements(member_id, id);
CREATE INDEX points_movements_time ON points_movements(created_at);
CREATE INDEX points_movements_ref ON points_movements(source, ref);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    payment_no      TEXT NOT NULL UNIQUE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('plate', 'membership', 'topup', 'dining', 'mall')),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    tenant_id       BIGINT REFERENCES tenants(id),
    subject         TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}',
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    coupon_id       BIGINT REFERENCES coupons(id),
    coupon_fen      BIGINT NOT NULL DEFAULT 0 CHECK (coupon_fen >= 0),
    points_used     BIGINT NOT NULL DEFAULT 0 CHECK (points_used >= 0),
    points_fen      BIGINT NOT NULL DEFAULT 0 CHECK (points_fen >= 0),
    sv_fen          BIGINT NOT NULL DEFAULT 0 CHECK (sv_fen >= 0),
    external_fen    BIGINT NOT NULL DEFAULT 0 CHECK (external_fen >= 0),
    provider        TEXT,
    provider_txn    TEXT,
    pay_url         TEXT,
    state           TEXT NOT NULL CHECK (state IN ('created', 'paying', 'paid', 'partially_refunded', 'refunded', 'closed')),
    refunded_fen    BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
    request_key     TEXT UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    paid_at         BIGINT,
    closed_at       BIGINT,
    CHECK (coupon_fen + points_fen + sv_fen + external_fen = amount_fen),
    CHECK (refunded_fen <= amount_fen)
);
CREATE INDEX payments_member ON payments(member_id, id);
CREATE INDEX payments_tenant ON payments(tenant_id, paid_at);
CREATE INDEX payments_open ON payments(state, expires_at);

CREATE TABLE payment_events (
    id          INTEGER PRIMARY KEY,
    payment_id  BIGINT NOT NULL REFERENCES payments(id),
    event       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events(payment_id, id);

CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    refund_no       TEXT NOT NULL UNIQUE,
    payment_id      BIGINT NOT NULL REFERENCES payments(id),
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    external_fen    BIGINT NOT NULL DEFAULT 0,
    sv_fen          BIGINT NOT NULL DEFAULT 0,
    points_fen      BIGINT NOT NULL DEFAULT 0,
    points_returned BIGINT NOT NULL DEFAULT 0,
    coupon_returned BIGINT NOT NULL DEFAULT 0,
    points_reversed BIGINT NOT NULL DEFAULT 0,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    provider_refund TEXT,
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
CREATE INDEX refunds_payment ON refunds(payment_id);

-- Every notification a provider sent, verified or not: the trail for disputes and debugging.
CREATE TABLE payment_notifications (
    id              INTEGER PRIMARY KEY,
    provider        TEXT NOT NULL,
    notification_id TEXT NOT NULL DEFAULT '',
    payment_no      TEXT NOT NULL DEFAULT '',
    event_type      TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL,
    received_at     BIGINT NOT NULL
);
CREATE INDEX payment_notifications_payment ON payment_notifications(payment_no);

-- The built-in sandbox provider's own books: what "WeChat" believes about each order.
CREATE TABLE sandbox_orders (
    payment_no      TEXT PRIMARY KEY,
    amount_fen      BIGINT NOT NULL,
    description     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('open', 'paid', 'cancelled', 'closed')),
    transaction_id  TEXT UNIQUE,
    refunded_fen    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    paid_at         BIGINT
);

CREATE TABLE sandbox_refunds (
    refund_no       TEXT PRIMARY KEY,
    payment_no      TEXT NOT NULL REFERENCES sandbox_orders(payment_no),
    amount_fen      BIGINT NOT NULL,
    refund_id       TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL
);

-- Sales and refunds per tenant, as they happen: the counter feed and the reports read these.
CREATE TABLE tenant_sales (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    payment_id      BIGINT NOT NULL REFERENCES payments(id),
    refund_id       BIGINT REFERENCES refunds(id),
    kind            TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    amount_fen      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX tenant_sales_tenant ON tenant_sales(tenant_id, id);
CREATE INDEX tenant_sales_time ON tenant_sales(created_at);

-- Printed payment plates (码牌): a static code per counter, revocable.
CREATE TABLE payment_plates (
    id          INTEGER PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX payment_plates_tenant ON payment_plates(tenant_id);
