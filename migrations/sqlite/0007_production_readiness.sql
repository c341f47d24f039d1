-- Production readiness (issue 14): sign-in failures with backoff, member codes used once, the
-- birthday's setting date, and stored-value credits that wait for a second administrator.

-- Failed sign-ins per key ("staff:<username>|<address>", "sms:<phone>|<address>",
-- "address:<address>"): the next attempt waits until locked_until. Counting failures only means
-- a stranger cannot lock anyone out by trying; keying by account and address means a stranger's
-- failures do not lock the owner's own address.
CREATE TABLE sign_in_failures (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_failure_at);

-- A member code that pays or awards is used once: its digits are claimed here.
CREATE TABLE member_code_uses (
    code        TEXT PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id),
    purpose     TEXT NOT NULL,
    used_at     BIGINT NOT NULL
);
CREATE INDEX member_code_uses_at ON member_code_uses(used_at);

-- When the member set their one-time birthday: the gift waits until 30 days after it.
ALTER TABLE members ADD COLUMN birthday_set_at BIGINT;
UPDATE members SET birthday_set_at = created_at WHERE birthday IS NOT NULL;

-- An administrator's stored-value credit above the approval threshold waits for another
-- administrator; approved, it is credited (kind 'adjust', reference 'svreq:<id>') once.
CREATE TABLE sv_credit_requests (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    reason          TEXT NOT NULL,
    requested_by    BIGINT NOT NULL REFERENCES staff(id),
    requested_at    BIGINT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by      BIGINT REFERENCES staff(id),
    decided_at      BIGINT,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX sv_credit_requests_status ON sv_credit_requests(status, requested_at);
