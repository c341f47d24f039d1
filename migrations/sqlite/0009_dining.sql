-- Scan-to-order (扫码点餐, SQLite): each restaurant's settings, menu, tables, the shoppers' carts and the
-- orders with their items, history, pickup numbers and ticket prints. Times are UTC milliseconds,
-- money integer fen, flags 0/1. See core/src/dining.

-- How a restaurant hands food over: call number (叫号取餐) or table delivery (按桌号配餐).
CREATE TABLE dining_settings (
    tenant_id   BIGINT PRIMARY KEY REFERENCES tenants(id),
    fulfilment  TEXT NOT NULL DEFAULT 'call_number' CHECK (fulfilment IN ('call_number', 'table_delivery')),
    updated_at  BIGINT NOT NULL
);

-- An area belongs to one restaurant (tenant_id), or is shared (a food court: tenant_id NULL,
-- set up by the mall, its restaurants in dining_area_tenants).
ALTER TABLE dining_areas ADD COLUMN tenant_id BIGINT REFERENCES tenants(id);
ALTER TABLE dining_areas ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived'));
CREATE INDEX dining_areas_tenant ON dining_areas(tenant_id);

-- A printed table code (/t/<code>); revoked codes stay, so an old sticker says so.
CREATE TABLE dining_tables (
    id          INTEGER PRIMARY KEY,
    area_id     BIGINT NOT NULL REFERENCES dining_areas(id),
    label       TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE UNIQUE INDEX dining_tables_label ON dining_tables(area_id, label) WHERE status = 'active';

CREATE TABLE menu_categories (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    sort            BIGINT NOT NULL DEFAULT 0,
    -- Served between these minutes after midnight (mall time), both or neither; from > until
    -- runs past midnight.
    available_from  BIGINT CHECK (available_from BETWEEN 0 AND 1439),
    available_until BIGINT CHECK (available_until BETWEEN 0 AND 1439),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    created_at      BIGINT NOT NULL,
    CHECK ((available_from IS NULL) = (available_until IS NULL))
);
CREATE INDEX menu_categories_tenant ON menu_categories(tenant_id, sort);

CREATE TABLE dishes (
    id                  INTEGER PRIMARY KEY,
    tenant_id           BIGINT NOT NULL REFERENCES tenants(id),
    category_id         BIGINT NOT NULL REFERENCES menu_categories(id),
    name_zh             TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    description_zh      TEXT NOT NULL DEFAULT '',
    description_en      TEXT NOT NULL DEFAULT '',
    ingredients_zh      TEXT NOT NULL DEFAULT '',
    ingredients_en      TEXT NOT NULL DEFAULT '',
    taste_zh            TEXT NOT NULL DEFAULT '',
    taste_en            TEXT NOT NULL DEFAULT '',
    price_fen           BIGINT NOT NULL CHECK (price_fen > 0),
    member_price_fen    BIGINT CHECK (member_price_fen > 0),
    -- Storage keys of the photo and its thumbnail (dishes/<tenant>/<dish>-<hash>.jpg).
    photo_key           TEXT,
    thumb_key           TEXT,
    sold_out            BIGINT NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1)),
    sort                BIGINT NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX dishes_menu ON dishes(tenant_id, category_id, sort);

-- Size, spice, add-ons: choose between min_select and max_select options.
CREATE TABLE dish_option_groups (
    id          INTEGER PRIMARY KEY,
    dish_id     BIGINT NOT NULL REFERENCES dishes(id),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    min_select  BIGINT NOT NULL CHECK (min_select >= 0),
    max_select  BIGINT NOT NULL CHECK (max_select >= 1 AND max_select >= min_select),
    sort        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX dish_option_groups_dish ON dish_option_groups(dish_id, sort);

CREATE TABLE dish_options (
    id              INTEGER PRIMARY KEY,
    group_id        BIGINT NOT NULL REFERENCES dish_option_groups(id),
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    price_delta_fen BIGINT NOT NULL DEFAULT 0 CHECK (price_delta_fen >= 0),
    sort            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX dish_options_group ON dish_options(group_id, sort);

-- Recommended with a dish (搭配推荐), within one restaurant.
CREATE TABLE dish_pairings (
    dish_id     BIGINT NOT NULL REFERENCES dishes(id),
    paired_id   BIGINT NOT NULL REFERENCES dishes(id),
    PRIMARY KEY (dish_id, paired_id),
    CHECK (dish_id <> paired_id)
);

-- One cart per shopper per restaurant, kept on the server (pages work without JavaScript, and a
-- dish sold out while in carts is found at checkout).
CREATE TABLE dining_carts (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id),
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    table_id    BIGINT REFERENCES dining_tables(id),
    remark      TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL,
    UNIQUE (member_id, tenant_id)
);

-- option_ids: the chosen options' ids, ascending, comma-separated ('' for none).
CREATE TABLE dining_cart_lines (
    id          INTEGER PRIMARY KEY,
    cart_id     BIGINT NOT NULL REFERENCES dining_carts(id),
    dish_id     BIGINT NOT NULL REFERENCES dishes(id),
    option_ids  TEXT NOT NULL DEFAULT '',
    remark      TEXT NOT NULL DEFAULT '',
    quantity    BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at    BIGINT NOT NULL,
    UNIQUE (cart_id, dish_id, option_ids, remark)
);
CREATE INDEX dining_cart_lines_dish ON dining_cart_lines(dish_id);

-- A food order: written with its payment (one each), its items copied from the menu as priced.
CREATE TABLE dining_orders (
    id              INTEGER PRIMARY KEY,
    payment_id      BIGINT NOT NULL UNIQUE REFERENCES payments(id),
    payment_no      TEXT NOT NULL UNIQUE,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    table_id        BIGINT REFERENCES dining_tables(id),
    table_label     TEXT NOT NULL DEFAULT '',
    area_zh         TEXT NOT NULL DEFAULT '',
    area_en         TEXT NOT NULL DEFAULT '',
    fulfilment      TEXT NOT NULL CHECK (fulfilment IN ('call_number', 'table_delivery')),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'accepted', 'preparing', 'ready', 'done',
                        'cancelling', 'cancelled', 'released')),
    -- Where a cancellation started, to return to if its refund fails.
    state_before    TEXT,
    version         BIGINT NOT NULL DEFAULT 1,
    -- Call number: the restaurant's number of the mall day it was paid (gapless per day).
    pickup_no       BIGINT,
    service_date    TEXT,
    remark          TEXT NOT NULL DEFAULT '',
    total_fen       BIGINT NOT NULL CHECK (total_fen > 0),
    item_count      BIGINT NOT NULL CHECK (item_count > 0),
    cancel_reason   TEXT,
    -- The checkout form's key (member:key): the same form sent twice places one order.
    request_key     TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    paid_at         BIGINT,
    updated_at      BIGINT NOT NULL,
    UNIQUE (tenant_id, service_date, pickup_no)
);
CREATE INDEX dining_orders_kitchen ON dining_orders(tenant_id, state, paid_at);
CREATE INDEX dining_orders_member ON dining_orders(member_id, id);
CREATE INDEX dining_orders_day ON dining_orders(tenant_id, paid_at);

CREATE TABLE dining_order_items (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES dining_orders(id),
    dish_id     BIGINT NOT NULL REFERENCES dishes(id),
    -- As in dining_cart_lines: what goes back into the cart if the payment is never completed.
    option_ids  TEXT NOT NULL DEFAULT '',
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    options_zh  TEXT NOT NULL DEFAULT '',
    options_en  TEXT NOT NULL DEFAULT '',
    remark      TEXT NOT NULL DEFAULT '',
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    unit_fen    BIGINT NOT NULL CHECK (unit_fen > 0),
    line_fen    BIGINT NOT NULL CHECK (line_fen > 0)
);
CREATE INDEX dining_order_items_order ON dining_order_items(order_id);
CREATE INDEX dining_order_items_dish ON dining_order_items(dish_id);

-- Every step an order took, by whom (the shopper's history, disputes).
CREATE TABLE dining_order_steps (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES dining_orders(id),
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX dining_order_steps_order ON dining_order_steps(order_id, id);

-- The last pickup number given per restaurant and mall day, taken in the completing transaction.
CREATE TABLE dining_pickup_numbers (
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    service_date    TEXT NOT NULL,
    last_no         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, service_date)
);

-- Kitchen tickets printed: the first copy is the original, every later one says DUPLICATE.
CREATE TABLE dining_ticket_prints (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES dining_orders(id),
    copy_no     BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    printed_at  BIGINT NOT NULL,
    UNIQUE (order_id, copy_no)
);
