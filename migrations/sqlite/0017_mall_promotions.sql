-- Mall promotions (SQLite), issue 13: 限时折扣 (a price per SKU), 满减 (tiers per shop) and 组合套餐
-- (bundles), each with a start and an end, per storefront tenant; and order lines that keep the
-- price engine's explanation (types/src/pricing). The PostgreSQL twin differs only in ids.

CREATE TABLE mall_promotions (
    id          INTEGER PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    kind        TEXT NOT NULL CHECK (kind IN ('limited', 'spend_off', 'bundle')),
    name        TEXT NOT NULL,
    -- Bundles: the price of one set.
    price_fen   BIGINT CHECK (price_fen IS NULL OR price_fen > 0),
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL CHECK (ends_at > starts_at),
    -- Ended early by the shop (ends_at is then moved to that moment).
    ended_at    BIGINT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX mall_promotions_tenant ON mall_promotions(tenant_id, ends_at);
CREATE INDEX mall_promotions_running ON mall_promotions(ends_at, starts_at);

-- 限时折扣: the price of each SKU while the promotion runs.
CREATE TABLE mall_promotion_prices (
    promotion_id  BIGINT NOT NULL REFERENCES mall_promotions(id),
    sku_id        BIGINT NOT NULL REFERENCES shop_skus(id),
    price_fen     BIGINT NOT NULL CHECK (price_fen > 0),
    PRIMARY KEY (promotion_id, sku_id)
);
CREATE INDEX mall_promotion_prices_sku ON mall_promotion_prices(sku_id);

-- 满减: spend at least threshold_fen, get off_fen off.
CREATE TABLE mall_promotion_tiers (
    promotion_id   BIGINT NOT NULL REFERENCES mall_promotions(id),
    threshold_fen  BIGINT NOT NULL CHECK (threshold_fen > 0),
    off_fen        BIGINT NOT NULL CHECK (off_fen > 0 AND off_fen < threshold_fen),
    PRIMARY KEY (promotion_id, threshold_fen)
);

-- 组合套餐: the SKUs of one set.
CREATE TABLE mall_promotion_items (
    promotion_id  BIGINT NOT NULL REFERENCES mall_promotions(id),
    sku_id        BIGINT NOT NULL REFERENCES shop_skus(id),
    quantity      BIGINT NOT NULL CHECK (quantity > 0 AND quantity <= 99),
    PRIMARY KEY (promotion_id, sku_id)
);

-- What each order line was priced at and paid (unit_price_fen is the engine's unit price): a
-- refund of some of its units refunds their share of paid_fen. Lines written before this
-- migration have no paid_fen: they paid unit_price_fen × quantity.
ALTER TABLE shop_order_lines ADD COLUMN price_rule TEXT NOT NULL DEFAULT 'list';
ALTER TABLE shop_order_lines ADD COLUMN bundle_off_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shop_order_lines ADD COLUMN spend_off_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shop_order_lines ADD COLUMN paid_fen BIGINT;
