-- A second factor, TOTP (issue 14 §2, docs/security.md "Second factor").
--
-- The person's shared secret (RFC 6238: 20 random bytes), pending until a
-- first code confirms it; last_step is the newest 30-second step whose code
-- was accepted: a code of that step or an earlier one is a replay.
CREATE TABLE person_totp (
    academy_id SMALLINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    secret VARBINARY(64) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    confirmed_at DATETIME(3) NULL,
    last_step BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (academy_id, person_id),
    CONSTRAINT person_totp_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The ten recovery codes given at confirmation: their SHA-256 only; each
-- works once (used_at).
CREATE TABLE totp_recovery_code (
    academy_id SMALLINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    code_hash BINARY(32) NOT NULL,
    used_at DATETIME(3) NULL,
    PRIMARY KEY (academy_id, person_id, code_hash),
    CONSTRAINT totp_recovery_code_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A login whose password was right and whose code is awaited: the SHA-256
-- of the challenge's secret, for a few minutes, used once.
CREATE TABLE login_challenge (
    academy_id SMALLINT UNSIGNED NOT NULL,
    secret_hash BINARY(32) NOT NULL,
    person_id BIGINT NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, secret_hash),
    KEY login_challenge_person (academy_id, person_id),
    CONSTRAINT login_challenge_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which factors opened the session (the token's amr claim; routes that
-- demand the second one, struct route .second_factor).
ALTER TABLE session ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- A browser that passed the second factor and was asked to be remembered
-- skips the code until then ([login] totp_remember_days).
ALTER TABLE login_device ADD COLUMN second_factor_until DATETIME(3) NULL;

-- Failed codes are counted per person like passwords ('totp': "<person id>").
ALTER TABLE login_throttle MODIFY kind ENUM('account', 'pair', 'device', 'totp') NOT NULL;
