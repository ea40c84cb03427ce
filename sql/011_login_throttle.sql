-- Throttling that strangers cannot turn against users (issue 14 §1,
-- docs/security.md). Failures are counted per account and client address
-- ('pair': "<address group>|<account>", an IPv6 address grouped by its
-- /64), per account and device that signed in before ('device':
-- "<device key>|<account>"), and per account from unknown devices
-- ('account'). Password spraying is limited by counting the distinct
-- accounts a 'pair' row exists for from one address group. The old
-- per-address counter of every attempt ('address') is gone: it let one
-- pupil lock a whole school out.
DELETE FROM login_throttle WHERE kind = 'address';
ALTER TABLE login_throttle MODIFY kind ENUM('account', 'pair', 'device') NOT NULL;

-- The browsers a person has signed in from: the SHA-256 of the secret of
-- the `tutorat_device` cookie, one row per person who signed in with it
-- (a shared computer knows several). An attempt from such a browser is not
-- held back by a stranger's failures on the account.
CREATE TABLE login_device (
    academy_id SMALLINT UNSIGNED NOT NULL,
    token_hash BINARY(32) NOT NULL,
    person_id BIGINT NOT NULL,
    created_at DATETIME(3) NOT NULL,
    last_used_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, token_hash, person_id),
    KEY login_device_person (academy_id, person_id),
    CONSTRAINT login_device_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
