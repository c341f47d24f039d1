-- Typed payment purposes (SQLite): see docs/decisions/0011-payment-purposes.md.

-- What each purpose's payment is for, one table per purpose (no JSON parsed with defaults).
CREATE TABLE plate_payments (
    payment_id  BIGINT PRIMARY KEY REFERENCES payments(id),
    plate_id    BIGINT NOT NULL REFERENCES payment_plates(id),
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id)
);
CREATE INDEX plate_payments_plate ON plate_payments(plate_id);

CREATE TABLE membership_purchases (
    payment_id  BIGINT PRIMARY KEY REFERENCES payments(id),
    tier_id     BIGINT NOT NULL REFERENCES membership_tiers(id)
);

CREATE TABLE topup_payments (
    payment_id  BIGINT PRIMARY KEY REFERENCES payments(id),
    bonus_fen   BIGINT NOT NULL CHECK (bonus_fen >= 0)
);

INSERT INTO plate_payments (payment_id, plate_id, tenant_id)
SELECT p.id, pl.id, pl.tenant_id FROM payments p
JOIN payment_plates pl ON pl.code = json_extract(p.details, '$.plate')
WHERE p.purpose = 'plate';

INSERT INTO membership_purchases (payment_id, tier_id)
SELECT p.id, CAST(json_extract(p.details, '$.tier_id') AS INTEGER) FROM payments p
WHERE p.purpose = 'membership' AND json_extract(p.details, '$.tier_id') IS NOT NULL;

INSERT INTO topup_payments (payment_id, bonus_fen)
SELECT p.id, COALESCE(CAST(json_extract(p.details, '$.bonus_fen') AS INTEGER), 0) FROM payments p
WHERE p.purpose = 'topup';

ALTER TABLE payments DROP COLUMN details;
