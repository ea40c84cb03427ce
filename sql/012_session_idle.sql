-- Sessions end after [server] session_idle seconds without the person's
-- own activity (ASVS v5.0.0-7.3.1), besides their absolute lifetime
-- (expires_at, 7.3.2). last_seen_at moves with the requests a person makes
-- (at most every 30 s), not with what the page does on its own (token
-- refresh, the bell's count: struct route .passive).
ALTER TABLE session ADD COLUMN last_seen_at DATETIME(3) NULL AFTER created_at;
UPDATE session SET last_seen_at = created_at;
ALTER TABLE session MODIFY last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3);
