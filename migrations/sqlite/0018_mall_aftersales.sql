-- After-sales of mall orders (issue 13): a shopper's request to refund some lines (reason,
-- photos, whether the goods come back), the shop's approval or rejection, one dispute of a
-- rejection and the operator's arbitration. An approved request is paid through `mall_refunds`
-- (kind 'lines', restock when the goods came back), whose number it keeps.
CREATE TABLE mall_aftersales (
    id            INTEGER PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES mall_orders(id),
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id),
    member_id     BIGINT NOT NULL REFERENCES members(id),
    -- requested → refunding → refunded; requested → rejected → disputed → refunding | upheld.
    state         TEXT NOT NULL CHECK (state IN ('requested', 'refunding', 'refunded', 'rejected', 'disputed', 'upheld')),
    reason        TEXT NOT NULL,
    reason_text   TEXT NOT NULL DEFAULT '',
    goods_back    BIGINT NOT NULL CHECK (goods_back IN (0, 1)),
    amount_fen    BIGINT NOT NULL CHECK (amount_fen > 0),
    shop_note     TEXT NOT NULL DEFAULT '',
    dispute_note  TEXT NOT NULL DEFAULT '',
    operator_note TEXT NOT NULL DEFAULT '',
    -- Set while disputed and after: the rejection was disputed (once).
    disputed      BIGINT NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    refund_no     TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
-- One open request per order: two taps or two tabs cannot open a second.
CREATE UNIQUE INDEX mall_aftersales_open ON mall_aftersales(order_id)
    WHERE state IN ('requested', 'refunding', 'disputed');
CREATE INDEX mall_aftersales_tenant ON mall_aftersales(tenant_id, state, id);
CREATE INDEX mall_aftersales_state ON mall_aftersales(state, id);
CREATE INDEX mall_aftersales_member ON mall_aftersales(member_id, id);

CREATE TABLE mall_aftersales_lines (
    request_id  BIGINT NOT NULL REFERENCES mall_aftersales(id),
    line_id     BIGINT NOT NULL REFERENCES shop_order_lines(id),
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (request_id, line_id)
);

-- The shopper's photos (re-encoded, stored under `aftersales/…`, served only to the shopper,
-- the shop's staff and operators).
CREATE TABLE mall_aftersales_photos (
    id          INTEGER PRIMARY KEY,
    request_id  BIGINT NOT NULL REFERENCES mall_aftersales(id),
    position    BIGINT NOT NULL,
    photo_key   TEXT NOT NULL,
    thumb_key   TEXT NOT NULL
);
CREATE INDEX mall_aftersales_photos_request ON mall_aftersales_photos(request_id, position);

CREATE TABLE mall_aftersales_steps (
    id          INTEGER PRIMARY KEY,
    request_id  BIGINT NOT NULL REFERENCES mall_aftersales(id),
    state       TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX mall_aftersales_steps_request ON mall_aftersales_steps(request_id, id);
