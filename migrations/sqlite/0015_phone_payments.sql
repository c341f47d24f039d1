-- Phone payment flows and refunds that wait for the provider (issue 15).

-- The shopper's openid for one of our WeChat app ids, from the official account's silent OAuth:
-- JSAPI pay needs it, and asking WeChat again on every payment would be a redirect each time.
CREATE TABLE member_wechat_openids (
    member_id   BIGINT NOT NULL REFERENCES members(id),
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (member_id, appid)
);

-- A refund the provider accepted but has not finished stays `pending` with the provider's word
-- here (PROCESSING, ABNORMAL) until it says SUCCESS (then `succeeded`) or CLOSED (`failed`).
ALTER TABLE refunds ADD COLUMN provider_state TEXT;
ALTER TABLE refunds ADD COLUMN checked_at BIGINT;
CREATE INDEX refunds_waiting ON refunds(state, checked_at);

-- The sandbox imitates each trade type and WeChat's OAuth, and refunds that take their time.
ALTER TABLE sandbox_orders ADD COLUMN trade_type TEXT NOT NULL DEFAULT 'NATIVE';
ALTER TABLE sandbox_orders ADD COLUMN openid TEXT;
ALTER TABLE sandbox_refunds ADD COLUMN status TEXT NOT NULL DEFAULT 'SUCCESS';
CREATE TABLE sandbox_oauth_codes (
    code        TEXT PRIMARY KEY,
    openid      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
