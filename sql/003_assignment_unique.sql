-- An académie-wide assignment has no scope_id, and NULLs never collide in
-- a unique key: the same académie-wide role could be given twice. The key
-- now uses scope_key, 0 for the académie.
ALTER TABLE role_assignment
    ADD COLUMN scope_key BIGINT AS (COALESCE(scope_id, 0)) PERSISTENT,
    DROP INDEX role_assignment_unique,
    ADD UNIQUE KEY role_assignment_unique (academy_id, person_id, role, scope_kind, scope_key, source);
