-- Paid membership (SQLite): tiers, gift packs, each member's membership and its paid periods,
-- sub-cards and their invitations. The PostgreSQL twin differs only in id generation.

CREATE TABLE gift_packs (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE gift_pack_items (
    pack_id     BIGINT NOT NULL REFERENCES gift_packs(id),
    template_id BIGINT NOT NULL REFERENCES coupon_templates(id),
    quantity    BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    PRIMARY KEY (pack_id, template_id)
);

CREATE TABLE membership_tiers (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    price_fen       BIGINT NOT NULL CHECK (price_fen > 0),
    term_days       BIGINT NOT NULL CHECK (term_days BETWEEN 1 AND 3660),
    benefits_zh     TEXT NOT NULL DEFAULT '',
    benefits_en     TEXT NOT NULL DEFAULT '',
    member_prices   BIGINT NOT NULL DEFAULT 1 CHECK (member_prices IN (0, 1)),
    first_pack_id   BIGINT REFERENCES gift_packs(id),
    renewal_pack_id BIGINT REFERENCES gift_packs(id),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    sort            BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);

-- The member's current membership (a lapsed one stays, with its history in the periods).
CREATE TABLE memberships (
    member_id       BIGINT PRIMARY KEY REFERENCES members(id),
    tier_id         BIGINT NOT NULL REFERENCES membership_tiers(id),
    started_at      BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    reminded_for    BIGINT,
    lapsed_at       BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX memberships_ends ON memberships(ends_at);

-- Every paid period, one per payment: the purchase fulfils once however often it completes.
CREATE TABLE membership_periods (
    id              INTEGER PRIMARY KEY,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    tier_id         BIGINT NOT NULL REFERENCES membership_tiers(id),
    payment_id      BIGINT NOT NULL UNIQUE REFERENCES payments(id),
    kind            TEXT NOT NULL CHECK (kind IN ('first', 'renewal')),
    period_start    BIGINT NOT NULL,
    period_end      BIGINT NOT NULL,
    pack_id         BIGINT REFERENCES gift_packs(id),
    coupons_issued  BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX membership_periods_member ON membership_periods(member_id, id);

-- One sub-card per main card; a member holds at most one sub-card.
CREATE TABLE subcards (
    id              INTEGER PRIMARY KEY,
    main_member_id  BIGINT NOT NULL REFERENCES members(id),
    sub_member_id   BIGINT NOT NULL REFERENCES members(id),
    bound_at        BIGINT NOT NULL,
    unbound_at      BIGINT,
    CHECK (main_member_id <> sub_member_id)
);
CREATE UNIQUE INDEX subcards_main_active ON subcards(main_member_id) WHERE unbound_at IS NULL;
CREATE UNIQUE INDEX subcards_sub_active ON subcards(sub_member_id) WHERE unbound_at IS NULL;

CREATE TABLE subcard_invites (
    code            TEXT PRIMARY KEY,
    main_member_id  BIGINT NOT NULL REFERENCES members(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    accepted_by     BIGINT REFERENCES members(id),
    accepted_at     BIGINT
);
CREATE INDEX subcard_invites_main ON subcard_invites(main_member_id);
