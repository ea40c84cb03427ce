-- Notifications, e-mail and reminders (server/notify.c, server/mailer.c,
-- tutoratctl remind). Every row is written in the transaction of the event
-- that causes it; none holds the private text of a record.

-- What a person is told in the service (the bell). The reader is re-checked
-- against the module's access rules each time the item is listed or
-- opened: `module` names the module whose rules apply, `object_kind` and
-- `object_id` the record, `relations` the module's relation bits of which
-- the reader must still hold one (a replaced tutor holds none).
CREATE TABLE notification (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    recipient_id BIGINT NOT NULL,
    kind VARCHAR(64) NOT NULL,
    module VARCHAR(32) NOT NULL,
    object_kind VARCHAR(32) NOT NULL,
    object_id BIGINT NOT NULL,
    relations INT UNSIGNED NOT NULL,
    actor_id BIGINT NULL,
    subject VARCHAR(200) NOT NULL,
    link VARCHAR(300) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    read_at DATETIME(3) NULL,
    PRIMARY KEY (academy_id, id),
    KEY notification_inbox (academy_id, recipient_id, created_at),
    KEY notification_unread (academy_id, recipient_id, read_at, created_at),
    CONSTRAINT notification_recipient_fk FOREIGN KEY (academy_id, recipient_id) REFERENCES person (academy_id, id),
    CONSTRAINT notification_actor_fk FOREIGN KEY (academy_id, actor_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- How a person wants each kind of event: in the service only, by e-mail at
-- once, or in a daily digest. No row: the kind's default.
CREATE TABLE notification_pref (
    academy_id SMALLINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    kind VARCHAR(64) NOT NULL,
    channel ENUM('app', 'email', 'digest') NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, person_id, kind),
    CONSTRAINT notification_pref_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The mails to send, written in the event's transaction and delivered by
-- the mailer (tutoratctl mailer), at least once, under a Message-ID fixed
-- here. `digest` rows wait for the recipient's daily digest (their
-- next_attempt_at is its hour) and leave grouped in one mail (`sent_in`:
-- the row whose Message-ID carried them). A recipient without an address
-- gets a row in state 'failed' at once, so the admin sees the gap.
CREATE TABLE mail_outbox (
    academy_id SMALLINT UNSIGNED NOT NULL,
    id BIGINT NOT NULL,
    recipient_id BIGINT NULL,
    to_addr VARCHAR(254) NULL,
    kind VARCHAR(64) NOT NULL,
    notification_id BIGINT NULL,
    digest BOOLEAN NOT NULL DEFAULT FALSE,
    subject VARCHAR(300) NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    message_id VARCHAR(200) NOT NULL,
    state ENUM('pending', 'sending', 'sent', 'failed') NOT NULL DEFAULT 'pending',
    attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(3) NOT NULL,
    claimed_by VARCHAR(100) NULL,
    claimed_until DATETIME(3) NULL,
    last_error VARCHAR(500) NULL,
    created_at DATETIME(3) NOT NULL,
    sent_at DATETIME(3) NULL,
    sent_in BIGINT NULL,
    PRIMARY KEY (academy_id, id),
    UNIQUE KEY mail_outbox_message_id (academy_id, message_id),
    KEY mail_outbox_due (academy_id, state, next_attempt_at),
    KEY mail_outbox_recipient (academy_id, recipient_id, state),
    CONSTRAINT mail_outbox_recipient_fk FOREIGN KEY (academy_id, recipient_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Reminder rules, data per académie (tutoratctl migrate seeds the
-- defaults from the seed documents): `offsets` are the days relative to
-- the due date at which a reminder goes, e.g. '-1,1,7'.
CREATE TABLE reminder_rule (
    academy_id SMALLINT UNSIGNED NOT NULL,
    kind VARCHAR(64) NOT NULL,
    offsets VARCHAR(100) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, kind),
    CONSTRAINT reminder_rule_academy_fk FOREIGN KEY (academy_id) REFERENCES academy (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per reminder sent: the key makes a second one for the same step
-- impossible, whatever the number of `tutoratctl remind` running at once.
CREATE TABLE reminder_sent (
    academy_id SMALLINT UNSIGNED NOT NULL,
    kind VARCHAR(64) NOT NULL,
    object_id BIGINT NOT NULL,
    step SMALLINT NOT NULL,
    recipient_id BIGINT NOT NULL,
    sent_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, kind, object_id, step, recipient_id),
    CONSTRAINT reminder_sent_recipient_fk FOREIGN KEY (academy_id, recipient_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A person's calendar feed: the SHA-256 of the secret in its URL. Renewing
-- replaces the row; revoking deletes it.
CREATE TABLE calendar_feed (
    academy_id SMALLINT UNSIGNED NOT NULL,
    person_id BIGINT NOT NULL,
    token_hash BINARY(32) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (academy_id, person_id),
    UNIQUE KEY calendar_feed_token (academy_id, token_hash),
    CONSTRAINT calendar_feed_person_fk FOREIGN KEY (academy_id, person_id) REFERENCES person (academy_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
