/*
 * tutoratctl backup / restore / revoke-sessions: a physical backup of the
 * MariaDB server with Debian's mariadb-backup, its manifest, and the
 * restore into an empty data directory (docs/deploy.md, section 14).
 */
#ifndef TUTORAT_BACKUP_H
#define TUTORAT_BACKUP_H

struct config;

/* Backs up the server of cfg's [database] into the new or empty
 * directory dir (created 0700): dir/data, prepared, and dir/manifest.json.
 * Returns the exit code of the command (0, or 1 with a message on stderr). */
int backup_run(const struct config *cfg, const char *dir);

/* Checks dir's manifest and files, then copies dir/data into datadir (new
 * or empty; the server that will use it stopped). Exit code as above. */
int backup_restore(const char *dir, const char *datadir);

/* Revokes every open session of every académie of cfg, each académie in
 * one transaction with its audit row: the step after a restore. */
int backup_revoke_sessions(struct config *cfg);

#endif
