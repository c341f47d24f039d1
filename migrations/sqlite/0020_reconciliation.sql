-- Daily reconciliation against the providers' bills, and refunds operators have looked at (issue 15).

-- One row per provider and bill day (the provider's day, Beijing time): re-running a day updates
-- its row. Totals in fen: what the bill says (theirs) and what our books say (ours).
CREATE TABLE reconcile_runs (
    id                  INTEGER PRIMARY KEY,
    provider            TEXT NOT NULL,
    bill_date           TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('done', 'failed')),
    error               TEXT NOT NULL DEFAULT '',
    their_payments      BIGINT NOT NULL DEFAULT 0,
    their_paid_fen      BIGINT NOT NULL DEFAULT 0,
    their_refunds       BIGINT NOT NULL DEFAULT 0,
    their_refunded_fen  BIGINT NOT NULL DEFAULT 0,
    their_fee_fen       BIGINT NOT NULL DEFAULT 0,
    -- WeChat's fund-flow bill of the same day: money into and out of the merchant account.
    fund_income_fen     BIGINT,
    fund_expense_fen    BIGINT,
    our_payments        BIGINT NOT NULL DEFAULT 0,
    our_paid_fen        BIGINT NOT NULL DEFAULT 0,
    our_refunds         BIGINT NOT NULL DEFAULT 0,
    our_refunded_fen    BIGINT NOT NULL DEFAULT 0,
    differences         BIGINT NOT NULL DEFAULT 0,
    attempts            BIGINT NOT NULL DEFAULT 1,
    started_by          TEXT NOT NULL,
    finished_at         BIGINT NOT NULL,
    UNIQUE (provider, bill_date)
);

-- Each difference once per provider, day, kind and number, however often the day is run again;
-- `resolution` says what was done about it (a missed payment completed after the provider's query).
CREATE TABLE reconcile_differences (
    id              INTEGER PRIMARY KEY,
    provider        TEXT NOT NULL,
    bill_date       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('missing_here', 'missing_there', 'amount_mismatch', 'refund_mismatch')),
    number          TEXT NOT NULL,
    our_fen         BIGINT,
    their_fen       BIGINT,
    detail          TEXT NOT NULL,
    resolution      TEXT NOT NULL DEFAULT 'open',
    found_at        BIGINT NOT NULL,
    resolved_at     BIGINT,
    UNIQUE (provider, bill_date, kind, number)
);

-- A refund an operator has dealt with outside Plaza (an ABNORMAL one re-issued in the merchant
-- platform, one stuck too long chased by phone): the note, who, when. It leaves the attention list;
-- the refund itself still follows the provider's word.
CREATE TABLE refund_handling (
    refund_no   TEXT PRIMARY KEY REFERENCES refunds(refund_no),
    note        TEXT NOT NULL,
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    handled_at  BIGINT NOT NULL
);

CREATE INDEX payments_paid_day ON payments(provider, paid_at);
