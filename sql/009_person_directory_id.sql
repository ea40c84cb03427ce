-- A person is bound to a directory entry by its stable identity (the
-- entry's entryUUID, or "dn:" and its DN where the server gives none), not
-- by the username, which a new entry may reuse. NULL: not bound yet (a
-- person created by an import, or before this migration); bound at their
-- next login or directory pick. directory_mismatch_id: the entry that now
-- holds the username when it is not the bound one: the login is refused
-- until an administrator re-links the person (or not).
ALTER TABLE person
    ADD COLUMN directory_id VARCHAR(600) NULL AFTER ldap_dn,
    ADD COLUMN directory_mismatch_id VARCHAR(600) NULL AFTER directory_id,
    ADD UNIQUE KEY person_directory_id (academy_id, directory_id);
