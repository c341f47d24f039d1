-- Mall search picks its page from the search rows alone (issue 12, decision 0021): beside each
-- product's FTS5 entry (`shop_search`, rowid = product id) a row with what the filters and sorts
-- of a search need — listed or not (published, not taken down, its shop an active storefront),
-- the shop, the category and its parent, the lowest price, sales, rating, publication time and
-- whether any SKU is in stock. Only the page's rows are then joined to the products. Triggers
-- keep the rows in the transaction of every change to what they copy, whichever path makes it
-- (product edits, publishing, take-downs, SKU prices and stock, orders, reviews, a shop
-- suspended, a category moved). The PostgreSQL twin keeps the same columns in `shop_search`.
CREATE TABLE shop_search_rows (
    product_id          INTEGER PRIMARY KEY REFERENCES shop_products(id),
    listed              BIGINT NOT NULL DEFAULT 0,
    tenant_id           BIGINT NOT NULL,
    category_id         BIGINT NOT NULL,
    parent_category_id  BIGINT,
    min_price_fen       BIGINT,
    sales_count         BIGINT NOT NULL DEFAULT 0,
    rating_x100         BIGINT NOT NULL DEFAULT 0,
    rating_count        BIGINT NOT NULL DEFAULT 0,
    published_at        BIGINT,
    in_stock            BIGINT NOT NULL DEFAULT 0
);

INSERT INTO shop_search_rows (product_id, tenant_id, category_id) SELECT id, tenant_id, category_id FROM shop_products;
UPDATE shop_search_rows SET (listed, tenant_id, category_id, parent_category_id, min_price_fen, sales_count, rating_x100,
        rating_count, published_at, in_stock) = (
    SELECT CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'
           THEN 1 ELSE 0 END,
           p.tenant_id, p.category_id, c.parent_id, p.min_price_fen, p.sales_count, p.rating_x100, p.rating_count,
           p.published_at,
           CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1
                             AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END
    FROM shop_products p JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id
    WHERE p.id = shop_search_rows.product_id);

CREATE TRIGGER shop_search_rows_product_insert AFTER INSERT ON shop_products BEGIN
    INSERT INTO shop_search_rows (product_id, tenant_id, category_id) VALUES (NEW.id, NEW.tenant_id, NEW.category_id);
    UPDATE shop_search_rows SET (listed, tenant_id, category_id, parent_category_id, min_price_fen, sales_count,
            rating_x100, rating_count, published_at, in_stock) = (
        SELECT CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'
               THEN 1 ELSE 0 END,
               p.tenant_id, p.category_id, c.parent_id, p.min_price_fen, p.sales_count, p.rating_x100, p.rating_count,
               p.published_at,
               CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1
                                 AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END
        FROM shop_products p JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id
        WHERE p.id = shop_search_rows.product_id)
    WHERE product_id = NEW.id;
END;

CREATE TRIGGER shop_search_rows_product_update
AFTER UPDATE OF status, blocked_at, tenant_id, category_id, min_price_fen, sales_count, rating_x100, rating_count,
    published_at ON shop_products BEGIN
    UPDATE shop_search_rows SET (listed, tenant_id, category_id, parent_category_id, min_price_fen, sales_count,
            rating_x100, rating_count, published_at) = (
        SELECT CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'
               THEN 1 ELSE 0 END,
               p.tenant_id, p.category_id, c.parent_id, p.min_price_fen, p.sales_count, p.rating_x100, p.rating_count,
               p.published_at
        FROM shop_products p JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id
        WHERE p.id = shop_search_rows.product_id)
    WHERE product_id = NEW.id;
END;

-- In stock: any enabled, not removed SKU with stock. A SKU's stock only matters when it crosses
-- zero, so orders taking stock touch the row only when a SKU sells out or comes back.
CREATE TRIGGER shop_search_rows_sku_insert AFTER INSERT ON shop_skus BEGIN
    UPDATE shop_search_rows SET in_stock = EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = NEW.product_id
        AND k.enabled = 1 AND k.removed_at IS NULL AND k.stock > 0)
    WHERE product_id = NEW.product_id;
END;

CREATE TRIGGER shop_search_rows_sku_update AFTER UPDATE OF stock, enabled, removed_at, product_id ON shop_skus
WHEN (OLD.stock > 0) <> (NEW.stock > 0) OR OLD.enabled <> NEW.enabled OR OLD.removed_at IS NOT NEW.removed_at
    OR OLD.product_id <> NEW.product_id BEGIN
    UPDATE shop_search_rows SET in_stock = EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = shop_search_rows.product_id
        AND k.enabled = 1 AND k.removed_at IS NULL AND k.stock > 0)
    WHERE product_id IN (OLD.product_id, NEW.product_id);
END;

CREATE TRIGGER shop_search_rows_sku_delete AFTER DELETE ON shop_skus BEGIN
    UPDATE shop_search_rows SET in_stock = EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = OLD.product_id
        AND k.enabled = 1 AND k.removed_at IS NULL AND k.stock > 0)
    WHERE product_id = OLD.product_id;
END;

CREATE INDEX shop_search_rows_tenant ON shop_search_rows(tenant_id);

-- A shop suspended, closed or reopened: its products leave or come back to search.
CREATE TRIGGER shop_search_rows_tenant_update AFTER UPDATE OF status, kind ON tenants BEGIN
    UPDATE shop_search_rows SET listed = (
        SELECT CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND NEW.status = 'active'
               AND NEW.kind = 'store' THEN 1 ELSE 0 END
        FROM shop_products p WHERE p.id = shop_search_rows.product_id)
    WHERE tenant_id = NEW.id;
END;

-- A category moved under another parent: the filter by the parent follows it.
CREATE TRIGGER shop_search_rows_category_update AFTER UPDATE OF parent_id ON shop_categories BEGIN
    UPDATE shop_search_rows SET parent_category_id = NEW.parent_id WHERE category_id = NEW.id;
END;
