-- The purchase that earned an inviter their reward (it must stand through the refund window).
ALTER TABLE invite_rewards ADD COLUMN award_id BIGINT REFERENCES points_awards(id);
