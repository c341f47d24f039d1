-- Member search at a million members (docs/decisions/0023-scale.md): the operator's search by the
-- last four digits of a phone number and by the start of a name walk these instead of the table.
-- (A full number uses members' own UNIQUE index on phone.)
CREATE INDEX members_phone_last4 ON members(substr(phone, 8), id);
CREATE INDEX members_name ON members(name, id);
