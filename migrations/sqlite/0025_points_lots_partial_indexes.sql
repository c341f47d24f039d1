-- The points expiry at a million members (docs/decisions/0023-scale.md). Lots leave the maturing
-- and expiring indexes when they mature, expire or are used up, instead of moving inside them:
-- expiring a lot deletes one index entry where it rewrote four (state led both indexes). The
-- expiry job finds its first and last due lot on the partial index (covering: the state is in it
-- so SQLite need not read the row, and the rowid is); the maturing job walks the pending lots in
-- maturing order.
DROP INDEX points_lots_maturing;
DROP INDEX points_lots_expiring;
CREATE INDEX points_lots_maturing ON points_lots(matures_at, id) WHERE state = 'pending';
CREATE INDEX points_lots_expiring ON points_lots(expires_at, member_id, state) WHERE state IN ('pending', 'available');
