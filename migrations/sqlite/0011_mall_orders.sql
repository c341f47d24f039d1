-- Mall orders (SQLite): one cart across shops, one order per shop under one payment, stock
-- reserved at placement, refunds per order. The PostgreSQL twin differs only in id generation.

-- The shopper's cart across shops, kept on the server: one row per SKU. `seen_price_fen` is the
-- unit price shown when the line was added, so a price changed since is flagged, not hidden.
CREATE TABLE mall_cart_lines (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    sku_id          BIGINT NOT NULL REFERENCES shop_skus(id),
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    quantity        BIGINT NOT NULL CHECK (quantity > 0 AND quantity <= 99),
    seen_price_fen  BIGINT NOT NULL CHECK (seen_price_fen > 0),
    added_at        BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (member_id, sku_id)
);

-- The shopper's address book for delivery orders (a removed address stays for the orders
-- that copied it).
CREATE TABLE mall_addresses (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id),
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    address     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    removed_at  BIGINT
);
CREATE INDEX mall_addresses_member ON mall_addresses(member_id);

-- One order per shop of a checkout; all orders of a checkout share one payment (purpose
-- 'mall'). Stock is taken when the order is written (reserved) and given back if the payment
-- closes unpaid. The tender columns are this order's share of the payment's split.
CREATE TABLE mall_orders (
    id              INTEGER PRIMARY KEY,
    order_no        TEXT NOT NULL UNIQUE,
    payment_id      BIGINT NOT NULL REFERENCES payments(id),
    payment_no      TEXT NOT NULL,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'ready', 'accepted', 'shipped', 'delivered',
                        'completed', 'cancelling', 'cancelled', 'expired')),
    fulfilment      TEXT NOT NULL CHECK (fulfilment IN ('pickup', 'delivery')),
    ship_name       TEXT NOT NULL DEFAULT '',
    ship_phone      TEXT NOT NULL DEFAULT '',
    ship_address    TEXT NOT NULL DEFAULT '',
    -- Pickup orders: the code the shopper shows, unique within the shop.
    pickup_code     TEXT,
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_no     TEXT NOT NULL DEFAULT '',
    list_fen        BIGINT NOT NULL CHECK (list_fen >= total_fen),
    total_fen       BIGINT NOT NULL CHECK (total_fen > 0),
    coupon_fen      BIGINT NOT NULL DEFAULT 0 CHECK (coupon_fen >= 0),
    points_fen      BIGINT NOT NULL DEFAULT 0 CHECK (points_fen >= 0),
    sv_fen          BIGINT NOT NULL DEFAULT 0 CHECK (sv_fen >= 0),
    external_fen    BIGINT NOT NULL DEFAULT 0 CHECK (external_fen >= 0),
    refunded_fen    BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= total_fen),
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    paid_at         BIGINT,
    delivered_at    BIGINT,
    completed_at    BIGINT,
    updated_at      BIGINT NOT NULL,
    UNIQUE (tenant_id, pickup_code)
);
CREATE INDEX mall_orders_payment ON mall_orders(payment_id);
CREATE INDEX mall_orders_member ON mall_orders(member_id, id);
CREATE INDEX mall_orders_tenant ON mall_orders(tenant_id, state, id);

-- Each order's history.
CREATE TABLE mall_order_steps (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES mall_orders(id),
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX mall_order_steps_order ON mall_order_steps(order_id, id);

-- The lines reviews hang on (migration 0010) belong to an order from now on.
ALTER TABLE shop_order_lines ADD COLUMN order_id BIGINT REFERENCES mall_orders(id);
ALTER TABLE shop_order_lines ADD COLUMN list_price_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shop_order_lines ADD COLUMN refunded_quantity BIGINT NOT NULL DEFAULT 0;
CREATE INDEX shop_order_lines_order ON shop_order_lines(order_id);

-- Refunds of mall orders: a cancellation (the whole order) or lines refunded by the shop. The
-- row is written before the payment engine is asked, so the purpose knows, inside the engine's
-- transactions, which order a refund of the shared payment is for.
CREATE TABLE mall_refunds (
    id          INTEGER PRIMARY KEY,
    refund_no   TEXT NOT NULL UNIQUE,
    order_id    BIGINT NOT NULL REFERENCES mall_orders(id),
    payment_id  BIGINT NOT NULL REFERENCES payments(id),
    kind        TEXT NOT NULL CHECK (kind IN ('cancel', 'lines')),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
    -- The goods came back: their units return to stock.
    restock     BIGINT NOT NULL CHECK (restock IN (0, 1)),
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    created_at  BIGINT NOT NULL,
    done_at     BIGINT
);
CREATE INDEX mall_refunds_order ON mall_refunds(order_id);

CREATE TABLE mall_refund_lines (
    refund_id   BIGINT NOT NULL REFERENCES mall_refunds(id),
    line_id     BIGINT NOT NULL REFERENCES shop_order_lines(id),
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (refund_id, line_id)
);
