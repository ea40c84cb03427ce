/* Small helpers shared by the whole server: encodings, randomness, time. */
#ifndef TUTORAT_UTIL_H
#define TUTORAT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* base64url without padding; decode refuses padding and foreign bytes. */
char *b64url_encode(struct arena *a, const unsigned char *in, size_t n);
size_t b64url_encode_buf(char *out, size_t cap, const unsigned char *in, size_t n);
/* Strict: returns the decoded length, or -1 for a character outside the
 * alphabet (padding included), an impossible length (n % 4 == 1), non-zero
 * unused bits in the last character (each value has one spelling) or more
 * than cap bytes. */
long b64url_decode(unsigned char *out, size_t cap, const char *in, size_t n);
/* The alphabet and the length only: b64url_decode decides the rest. */
bool b64url_valid(const char *s, size_t n);

/* Fills buf from the kernel's CSPRNG; false only if getrandom fails. */
bool random_bytes(void *buf, size_t n);
/* A random identifier in [1, 2^53): exact as a JSON number in JavaScript. */
int64_t random_id(void);

void sha256(const void *in, size_t n, unsigned char out[32]);
void hex_encode(char *out, const unsigned char *in, size_t n);

double now_mono(void);	/* seconds, CLOCK_MONOTONIC */
int64_t now_unix(void); /* seconds, CLOCK_REALTIME */
double now_real(void);	/* seconds with fractions, CLOCK_REALTIME */

/* Parses a whole decimal int64 (optional '-'); false on garbage or overflow. */
bool parse_int64(const char *s, size_t n, int64_t *out);
/* Strict YYYY-MM-DD with a real calendar date. */
bool parse_date(const char *s, size_t n);
/* Strict YYYY-MM-DDTHH:MM (seconds optional, :SS). */
bool parse_datetime(const char *s, size_t n);
/* Valid UTF-8 without NUL or C0 controls other than \t \n \r. */
bool utf8_clean(const char *s, size_t n);
/* True when a spreadsheet would read the cell as a formula (it starts with
 * = + - @, a tab or a CR): exports write it after an apostrophe. */
bool csv_formula(const char *s);
/* s as HTML text, & < > " ' escaped, in the arena ("" when it is full). */
const char *html_escape(struct arena *a, const char *s);
/* The number of characters (code points) of n bytes of valid UTF-8: what
 * a person counts, and what a length limit in a message speaks of. */
size_t utf8_length(const char *s, size_t n);
/* The length (1 to 4) of the well-formed UTF-8 character that starts s
 * (n > 0 bytes readable), or 0 if none does: a stray or truncated
 * sequence, an overlong form, a surrogate or a code point past U+10FFFF. */
size_t utf8_char_len(const char *s, size_t n);
/* The length of the longest prefix of valid UTF-8 s[0..n) that fits in
 * cap bytes and ends on a character boundary: a cut never splits one. */
size_t utf8_prefix(const char *s, size_t n, size_t cap);
/* Case-insensitive ASCII equality of a bounded string with a C string. */
bool ascii_ieq(const char *a, size_t an, const char *b);
/* snprintf that reports truncation as failure. */
bool fmt(char *buf, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));
/* Reads a small secret file, trimming a final newline; NULL on error. */
char *read_secret_file(const char *path);

#endif
