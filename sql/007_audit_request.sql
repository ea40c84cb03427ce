-- A write whose connection broke during COMMIT may be stored or not: the
-- service looks for the request's audit row (every write commits with one)
-- before it answers. This index makes that look-up one row.
ALTER TABLE audit_log ADD KEY audit_request (academy_id, request_id);
