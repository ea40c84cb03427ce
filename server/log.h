/*
 * Logging: one JSON object per line on stderr, written with a single
 * write(2) so lines from concurrent workers never interleave. Never given
 * a password, a token or a cookie.
 */
#ifndef TUTORAT_LOG_H
#define TUTORAT_LOG_H

struct req;

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The access line of a finished request. */
void log_request(const struct req *r, double duration_ms);

#endif
