#include "util.h"
#include "arena.h"

#include <errno.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64url_encode_buf(char *out, size_t cap, const unsigned char *in, size_t n)
{
	size_t o = 0, i = 0;
	size_t need = (n / 3) * 4 + (n % 3 ? n % 3 + 1 : 0);

	if (cap < need + 1)
		return 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = B64URL[v >> 18 & 63];
		out[o++] = B64URL[v >> 12 & 63];
		out[o++] = B64URL[v >> 6 & 63];
		out[o++] = B64URL[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = B64URL[v >> 18 & 63];
		out[o++] = B64URL[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = B64URL[v >> 18 & 63];
		out[o++] = B64URL[v >> 12 & 63];
		out[o++] = B64URL[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

char *b64url_encode(struct arena *a, const unsigned char *in, size_t n)
{
	size_t cap = (n + 2) / 3 * 4 + 1;
	char *out = arena_alloc(a, cap);

	if (out == NULL || (b64url_encode_buf(out, cap, in, n) == 0 && n != 0))
		return NULL;
	return out;
}

static int b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

bool b64url_valid(const char *s, size_t n)
{
	if (n % 4 == 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (b64url_value((unsigned char)s[i]) < 0)
			return false;
	return true;
}

long b64url_decode(unsigned char *out, size_t cap, const char *in, size_t n)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (!b64url_valid(in, n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		acc = acc << 6 | (uint32_t)b64url_value((unsigned char)in[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	/* Leftover bits must be zero: one encoding per value. */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)o;
}

bool random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += got;
		n -= (size_t)got;
	}
	return true;
}

int64_t random_id(void)
{
	uint64_t v;

	do {
		if (!random_bytes(&v, sizeof(v)))
			abort(); /* the kernel CSPRNG does not fail once booted */
		v &= (UINT64_C(1) << 53) - 1;
	} while (v == 0);
	return (int64_t)v;
}

void sha256(const void *in, size_t n, unsigned char out[32]) { SHA256(in, n, out); }

void hex_encode(char *out, const unsigned char *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t now_unix(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

bool parse_int64(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return false;
	if (s[0] == '-') {
		neg = true;
		i = 1;
		if (n == 1)
			return false;
	}
	if ((n - i > 1 || neg) && s[i] == '0')
		return false; /* no leading zeros: one spelling per number */
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		uint64_t d = (uint64_t)(s[i] - '0');

		if (v > (UINT64_C(9223372036854775808) - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!neg && v > INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

bool parse_date(const char *s, size_t n)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool parse_datetime(const char *s, size_t n)
{
	if ((n != 16 && n != 19) || !parse_date(s, 10) || s[10] != 'T' || s[13] != ':')
		return false;
	for (size_t i = 11; i < n; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return false;
	if (n == 19 && (s[16] != ':' || (s[17] - '0') * 10 + (s[18] - '0') > 59))
		return false;
	return (s[11] - '0') * 10 + (s[12] - '0') <= 23 && (s[14] - '0') * 10 + (s[15] - '0') <= 59;
}

size_t utf8_char_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t chars = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	return chars;
}

const char *html_escape(struct arena *a, const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p != '\0'; p++)
		n += strchr("&<>\"'", *p) != NULL ? 6 : 1;
	out = o = arena_alloc(a, n + 1);
	if (out == NULL)
		return "";
	for (const char *p = s; *p != '\0'; p++) {
		const char *rep = *p == '&'    ? "&amp;"
				  : *p == '<'  ? "&lt;"
				  : *p == '>'  ? "&gt;"
				  : *p == '"'  ? "&quot;"
				  : *p == '\'' ? "&#39;"
						: NULL;

		if (rep != NULL) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

bool csv_formula(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

bool utf8_clean(const char *str, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)str[i];
		size_t len = utf8_char_len(str + i, n - i);

		if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return false;
		i += len;
	}
	return true;
}

size_t utf8_prefix(const char *s, size_t n, size_t cap)
{
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_char_len(s + i, n - i);

		if (len == 0)
			len = 1; /* not UTF-8: byte by byte, as the caller gave it */
		if (i + len > cap)
			break;
		i += len;
	}
	return i;
}

bool ascii_ieq(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

bool fmt(char *buf, size_t cap, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, cap, f, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}

char *read_secret_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char buf[1024];
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0)
		return NULL;
	return strdup(buf);
}
