-- The operator's member search by a given name alone (小明 finds 王小明 and 欧阳小明): the name
-- after a one-character surname and after a two-character one, each an index the search walks
-- like members_name, byte-wise (COLLATE "C") so a prefix is a range (docs/decisions/0023-scale.md).
CREATE INDEX members_given_name_1 ON members ((substr(name, 2) COLLATE "C"), id);
CREATE INDEX members_given_name_2 ON members ((substr(name, 3) COLLATE "C"), id);
