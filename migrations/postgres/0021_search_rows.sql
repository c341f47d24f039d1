-- Mall search picks its page from the search rows alone (issue 12, decision 0021): each
-- product's entry in `shop_search` also holds what the filters and sorts of a search need —
-- listed or not (published, not taken down, its shop an active storefront), the shop, the
-- category and its parent, the lowest price, sales, rating, publication time and whether any SKU
-- is in stock — so a search that matches 15,000 products reads no other table, and only the
-- page's rows are joined to the products. Triggers keep the columns in the transaction of every
-- change to what they copy, whichever path makes it (product edits, publishing, take-downs, SKU
-- prices and stock, orders, reviews, a shop suspended, a category moved). The SQLite twin keeps
-- the same columns in `shop_search_rows` beside its FTS5 table.
ALTER TABLE shop_search
    ADD COLUMN listed              BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN tenant_id           BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN category_id         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN parent_category_id  BIGINT,
    ADD COLUMN min_price_fen       BIGINT,
    ADD COLUMN sales_count         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN rating_x100         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN rating_count        BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN published_at        BIGINT,
    ADD COLUMN in_stock            BIGINT NOT NULL DEFAULT 0;

-- Rewrites product `product`'s columns from the product, its shop, category and SKUs.
CREATE FUNCTION shop_search_copy(product BIGINT) RETURNS void LANGUAGE sql AS $$
    UPDATE shop_search r SET (listed, tenant_id, category_id, parent_category_id, min_price_fen, sales_count,
            rating_x100, rating_count, published_at, in_stock) = (
        SELECT CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'
               THEN 1 ELSE 0 END,
               p.tenant_id, p.category_id, c.parent_id, p.min_price_fen, p.sales_count, p.rating_x100, p.rating_count,
               p.published_at,
               CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1
                                 AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END
        FROM shop_products p JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id
        WHERE p.id = r.product_id)
    WHERE r.product_id = product;
$$;

-- Every product has an entry from its creation on (empty tokens until its text is indexed, in
-- the same transaction), so the trigger below always has a row to write.
INSERT INTO shop_search (product_id, tokens)
    SELECT id, CAST('' AS tsvector) FROM shop_products p WHERE NOT EXISTS (SELECT 1 FROM shop_search s WHERE s.product_id = p.id);
UPDATE shop_search r SET
    listed = CASE WHEN p.status = 'published' AND p.blocked_at IS NULL AND t.status = 'active' AND t.kind = 'store'
             THEN 1 ELSE 0 END,
    tenant_id = p.tenant_id, category_id = p.category_id, parent_category_id = c.parent_id,
    min_price_fen = p.min_price_fen, sales_count = p.sales_count, rating_x100 = p.rating_x100,
    rating_count = p.rating_count, published_at = p.published_at,
    in_stock = CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = p.id AND k.enabled = 1
                                 AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END
FROM shop_products p JOIN tenants t ON t.id = p.tenant_id JOIN shop_categories c ON c.id = p.category_id
WHERE p.id = r.product_id;
CREATE INDEX shop_search_tenant ON shop_search(tenant_id);

CREATE FUNCTION shop_search_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO shop_search (product_id, tokens) VALUES (NEW.id, CAST('' AS tsvector)) ON CONFLICT (product_id) DO NOTHING;
    END IF;
    PERFORM shop_search_copy(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search_product_insert AFTER INSERT ON shop_products
    FOR EACH ROW EXECUTE FUNCTION shop_search_product_changed();
CREATE TRIGGER shop_search_product_update
    AFTER UPDATE OF status, blocked_at, tenant_id, category_id, min_price_fen, sales_count, rating_x100, rating_count,
        published_at ON shop_products
    FOR EACH ROW EXECUTE FUNCTION shop_search_product_changed();

-- In stock: any enabled, not removed SKU with stock. A SKU's stock only matters when it crosses
-- zero, so orders taking stock touch the entry only when a SKU sells out or comes back.
CREATE FUNCTION shop_search_sku_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shop_search r SET in_stock = CASE WHEN EXISTS (SELECT 1 FROM shop_skus k WHERE k.product_id = r.product_id
            AND k.enabled = 1 AND k.removed_at IS NULL AND k.stock > 0) THEN 1 ELSE 0 END
    WHERE r.product_id IN (CASE WHEN TG_OP = 'INSERT' THEN NEW.product_id ELSE OLD.product_id END,
                           CASE WHEN TG_OP = 'DELETE' THEN OLD.product_id ELSE NEW.product_id END);
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search_sku_insert_delete AFTER INSERT OR DELETE ON shop_skus
    FOR EACH ROW EXECUTE FUNCTION shop_search_sku_changed();
CREATE TRIGGER shop_search_sku_update AFTER UPDATE OF stock, enabled, removed_at, product_id ON shop_skus
    FOR EACH ROW
    WHEN ((OLD.stock > 0) IS DISTINCT FROM (NEW.stock > 0) OR OLD.enabled IS DISTINCT FROM NEW.enabled
          OR OLD.removed_at IS DISTINCT FROM NEW.removed_at OR OLD.product_id IS DISTINCT FROM NEW.product_id)
    EXECUTE FUNCTION shop_search_sku_changed();

-- A shop suspended, closed or reopened: its products leave or come back to search.
CREATE FUNCTION shop_search_tenant_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM shop_search_copy(p.id) FROM shop_products p WHERE p.tenant_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search_tenant_update AFTER UPDATE OF status, kind ON tenants
    FOR EACH ROW EXECUTE FUNCTION shop_search_tenant_changed();

-- A category moved under another parent: the filter by the parent follows it.
CREATE FUNCTION shop_search_category_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shop_search SET parent_category_id = NEW.parent_id WHERE category_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search_category_update AFTER UPDATE OF parent_id ON shop_categories
    FOR EACH ROW EXECUTE FUNCTION shop_search_category_changed();
