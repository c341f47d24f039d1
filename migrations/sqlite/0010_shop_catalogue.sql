-- Online mall, part 1 (SQLite): the catalogue — categories, storefronts, products with SKUs and
-- photos, stock adjustments, search, the order lines reviews hang on, reviews, the mall home's
-- curation and CSV imports. The PostgreSQL twin differs in id generation and the search index
-- (docs/decisions/0014-chinese-search.md).

-- The mall's category tree: two levels (a level-1 row has no parent), ordered, each with an icon
-- from the app's built-in set. Products sit in level-2 categories only.
CREATE TABLE shop_categories (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES shop_categories(id),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    icon        TEXT NOT NULL DEFAULT 'box',
    sort        BIGINT NOT NULL DEFAULT 0,
    active      BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX shop_categories_parent ON shop_categories(parent_id, sort);

-- A storefront tenant's shop page in the online mall.
CREATE TABLE shop_storefronts (
    tenant_id      BIGINT PRIMARY KEY REFERENCES tenants(id),
    name           TEXT NOT NULL,
    intro          TEXT NOT NULL DEFAULT '',
    logo_key       TEXT,
    banner_key     TEXT,
    opening_hours  TEXT NOT NULL DEFAULT '',
    -- Where shoppers collect their orders: a unit number in the mall.
    pickup_unit    TEXT NOT NULL DEFAULT '',
    delivers       BIGINT NOT NULL DEFAULT 0 CHECK (delivers IN (0, 1)),
    updated_at     BIGINT NOT NULL
);

-- Products (SPU). Specs, parameters and tags are JSON arrays read whole by the product's module.
-- Prices, stock and the listing flags live on the SKUs; the columns marked "cached" are
-- recomputed from them in the same transaction that changes them, for sorting and filtering.
CREATE TABLE shop_products (
    id                    INTEGER PRIMARY KEY,
    tenant_id             BIGINT NOT NULL REFERENCES tenants(id),
    category_id           BIGINT NOT NULL REFERENCES shop_categories(id),
    -- The tenant's own product code (货号), unique in its shop: CSV rows match on it.
    code                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    subtitle              TEXT NOT NULL DEFAULT '',
    -- Sanitised HTML (ammonia) as stored; the raw text is never kept.
    description_html      TEXT NOT NULL DEFAULT '',
    specs                 TEXT NOT NULL DEFAULT '[]',
    params                TEXT NOT NULL DEFAULT '[]',
    tags                  TEXT NOT NULL DEFAULT '[]',
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
    -- Taken down by an operator (with the reason the tenant sees): not listed, not publishable.
    blocked_at            BIGINT,
    blocked_reason        TEXT,
    blocked_by            BIGINT REFERENCES staff(id),
    cover_key             TEXT,
    min_price_fen         BIGINT,
    max_price_fen         BIGINT,
    min_member_price_fen  BIGINT,
    sales_count           BIGINT NOT NULL DEFAULT 0 CHECK (sales_count >= 0),
    rating_count          BIGINT NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    rating_sum            BIGINT NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    -- Average rating × 100 (0 when unrated), for sorting.
    rating_x100           BIGINT NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    published_at          BIGINT,
    UNIQUE (tenant_id, code)
);
CREATE INDEX shop_products_tenant ON shop_products(tenant_id, status);
CREATE INDEX shop_products_category ON shop_products(category_id, status);
CREATE INDEX shop_products_listed ON shop_products(status, published_at);
CREATE INDEX shop_products_price ON shop_products(status, min_price_fen);
CREATE INDEX shop_products_sales ON shop_products(status, sales_count);

-- Photos: the gallery (position 0 is the cover) and images placed in the description.
CREATE TABLE shop_product_photos (
    id          INTEGER PRIMARY KEY,
    product_id  BIGINT NOT NULL REFERENCES shop_products(id),
    kind        TEXT NOT NULL CHECK (kind IN ('gallery', 'description')),
    position    BIGINT NOT NULL DEFAULT 0,
    photo_key   TEXT NOT NULL,
    thumb_key   TEXT NOT NULL,
    width       BIGINT NOT NULL,
    height      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX shop_product_photos_product ON shop_product_photos(product_id, kind, position);

-- SKUs: one per combination of spec values ('' for an unused dimension; a product without specs
-- has one SKU with all three empty). A combination taken out of the specs is removed, never
-- deleted (order lines refer to it), and comes back with its id if the value returns.
-- Stock is what is left to sell: it changes only by conditional updates (never below zero).
CREATE TABLE shop_skus (
    id                INTEGER PRIMARY KEY,
    product_id        BIGINT NOT NULL REFERENCES shop_products(id),
    tenant_id         BIGINT NOT NULL REFERENCES tenants(id),
    v1                TEXT NOT NULL DEFAULT '',
    v2                TEXT NOT NULL DEFAULT '',
    v3                TEXT NOT NULL DEFAULT '',
    price_fen         BIGINT NOT NULL CHECK (price_fen > 0 AND price_fen <= 99999999),
    member_price_fen  BIGINT CHECK (member_price_fen IS NULL OR (member_price_fen > 0 AND member_price_fen <= price_fen)),
    stock             BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0 AND stock <= 9999999),
    barcode           TEXT NOT NULL DEFAULT '',
    photo_id          BIGINT REFERENCES shop_product_photos(id),
    enabled           BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    removed_at        BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (product_id, v1, v2, v3)
);
CREATE INDEX shop_skus_tenant ON shop_skus(tenant_id);

-- Every change of a SKU's stock by its shop, with the reason (a history, appended only).
CREATE TABLE shop_stock_adjustments (
    id           INTEGER PRIMARY KEY,
    sku_id       BIGINT NOT NULL REFERENCES shop_skus(id),
    product_id   BIGINT NOT NULL REFERENCES shop_products(id),
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id),
    delta        BIGINT NOT NULL,
    stock_after  BIGINT NOT NULL CHECK (stock_after >= 0),
    reason       TEXT NOT NULL CHECK (reason IN ('initial', 'restock', 'count', 'damage', 'return', 'import', 'other')),
    note         TEXT NOT NULL DEFAULT '',
    staff_id     BIGINT REFERENCES staff(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX shop_stock_adjustments_sku ON shop_stock_adjustments(sku_id, id);
CREATE INDEX shop_stock_adjustments_tenant ON shop_stock_adjustments(tenant_id, id);

-- What a member bought, one row per SKU of an order. The reviews hang on it: only the buyer of a
-- completed line reviews it, once. Migration 0011 (mall orders) adds the order it belongs to,
-- its prices and fulfilment; `completed_at` is set when that order completes.
CREATE TABLE shop_order_lines (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    product_id      BIGINT NOT NULL REFERENCES shop_products(id),
    sku_id          BIGINT NOT NULL REFERENCES shop_skus(id),
    -- As the shopper saw them when buying.
    title           TEXT NOT NULL,
    spec            TEXT NOT NULL DEFAULT '',
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    unit_price_fen  BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    created_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
CREATE INDEX shop_order_lines_member ON shop_order_lines(member_id, completed_at);

CREATE TABLE shop_reviews (
    id              INTEGER PRIMARY KEY,
    order_line_id   BIGINT NOT NULL UNIQUE REFERENCES shop_order_lines(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    product_id      BIGINT NOT NULL REFERENCES shop_products(id),
    sku_id          BIGINT NOT NULL REFERENCES shop_skus(id),
    rating          BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body            TEXT NOT NULL DEFAULT '',
    reply           TEXT,
    replied_at      BIGINT,
    replied_by      BIGINT REFERENCES staff(id),
    -- Hidden by an operator, with the reason the reviewer sees.
    hidden_at       BIGINT,
    hidden_reason   TEXT,
    hidden_by       BIGINT REFERENCES staff(id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX shop_reviews_product ON shop_reviews(product_id, id);
CREATE INDEX shop_reviews_tenant ON shop_reviews(tenant_id, id);

CREATE TABLE shop_review_photos (
    id          INTEGER PRIMARY KEY,
    review_id   BIGINT NOT NULL REFERENCES shop_reviews(id),
    position    BIGINT NOT NULL,
    photo_key   TEXT NOT NULL,
    thumb_key   TEXT NOT NULL
);
CREATE INDEX shop_review_photos_review ON shop_review_photos(review_id, position);

-- The mall home, as operators arrange it.
CREATE TABLE shop_featured (
    product_id  BIGINT PRIMARY KEY REFERENCES shop_products(id),
    position    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE shop_banners (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    image_key   TEXT NOT NULL,
    -- A path inside the mall (`/mall/...`), never another site.
    link        TEXT NOT NULL,
    position    BIGINT NOT NULL DEFAULT 0,
    active      BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- CSV imports: what was sent and what came of it (applied whole, or refused with a report).
CREATE TABLE shop_csv_imports (
    id          INTEGER PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    staff_id    BIGINT REFERENCES staff(id),
    file_name   TEXT NOT NULL,
    rows        BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('applied', 'refused')),
    -- JSON: the per-row errors, or the counts of what was created and updated.
    report      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX shop_csv_imports_tenant ON shop_csv_imports(tenant_id, id);

-- Search: one row per product (rowid = product id). The text is pre-tokenised by Plaza
-- (core/src/shop/search/tokens.rs: Chinese as overlapping character pairs, Latin words and
-- numbers), so the tokenizer only splits on spaces.
CREATE VIRTUAL TABLE shop_search USING fts5(title, extra, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3');
