-- Counter-sale points (issue 16): a cashier scans the member's code and awards points for a sale
-- rung up on the shop's own till, keyed by that till's receipt number.

-- A member identified at a till. The cashier page's address carries only this row's random
-- token, never the member code; the code stays here until the award uses it (once).
CREATE TABLE member_checks (
    id          INTEGER PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    member_id   BIGINT NOT NULL REFERENCES members(id),
    code        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX member_checks_expires ON member_checks(expires_at);

-- Points awarded for a sale on the shop's till: one live award per (shop, receipt number); a
-- reversal (the owner, the same day) frees the number for a corrected award.
CREATE TABLE counter_sales (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    receipt_no      TEXT NOT NULL,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    points          BIGINT NOT NULL,
    award_id        BIGINT REFERENCES points_awards(id),
    awarded_by      BIGINT NOT NULL REFERENCES staff(id),
    created_at      BIGINT NOT NULL,
    reversed_at     BIGINT,
    reversed_by     BIGINT REFERENCES staff(id),
    reverse_reason  TEXT
);
CREATE UNIQUE INDEX counter_sales_live_receipt ON counter_sales(tenant_id, receipt_no) WHERE reversed_at IS NULL;
CREATE INDEX counter_sales_tenant_day ON counter_sales(tenant_id, created_at);
