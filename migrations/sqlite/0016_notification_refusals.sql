-- Notifications refused before they are known to come from the provider (a bad signature, a
-- malformed body, another merchant's) are counted per provider, reason and hour instead of one
-- row each: a flood of forged posts cannot grow the database (issue 14, finding 7).
CREATE TABLE notification_refusals (
    provider    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    hour_start  BIGINT NOT NULL,
    count       BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    PRIMARY KEY (provider, reason, hour_start)
);
