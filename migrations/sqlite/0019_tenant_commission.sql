-- The mall's commission on a tenant's sales (issue 13, reports and settlement), in basis points
-- (500 = 5 %), in force from a mall-local date on. Rows are only appended: the rate of a sale is
-- the row with the latest `effective_from` on or before the sale's mall date (the newest row of
-- that date when several were set), so a new rate never rewrites a period already past. The
-- PostgreSQL twin differs only in id generation.
CREATE TABLE tenant_commission_rates (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    rate_bps        BIGINT NOT NULL CHECK (rate_bps >= 0 AND rate_bps <= 10000),
    -- `2026-12-01`, the mall's calendar.
    effective_from  TEXT NOT NULL,
    set_by          BIGINT REFERENCES staff(id),
    reason          TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX tenant_commission_rates_tenant ON tenant_commission_rates(tenant_id, effective_from, id);

-- The reports read a tenant's sale and refund lines by time.
CREATE INDEX tenant_sales_tenant_time ON tenant_sales(tenant_id, created_at);
