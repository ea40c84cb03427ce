#include "totp.h"
#include "arena.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

int64_t totp_step(int64_t t) { return t >= 0 ? t / TOTP_STEP : (t - TOTP_STEP + 1) / TOTP_STEP; }

uint32_t totp_code(const unsigned char *key, size_t key_len, int64_t step, int digits)
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	uint64_t c = (uint64_t)step;
	uint32_t bin, mod = 1;

	for (int i = 7; i >= 0; i--, c >>= 8)
		msg[i] = (unsigned char)(c & 0xff);
	if (HMAC(EVP_sha1(), key, (int)key_len, msg, sizeof(msg), mac, &mac_len) == NULL ||
	    mac_len < 20)
		return UINT32_MAX; /* never a code of `digits` digits */
	size_t off = mac[mac_len - 1] & 0x0f;

	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	      (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

int64_t totp_verify(const unsigned char *key, size_t key_len, const char *code, int64_t now,
		    int64_t last_used)
{
	char want[TOTP_DIGITS + 1];
	int64_t found = -1, here = totp_step(now);

	if (code == NULL || strlen(code) != TOTP_DIGITS)
		return -1;
	for (int64_t s = here - TOTP_WINDOW; s <= here + TOTP_WINDOW; s++) {
		snprintf(want, sizeof(want), "%0*u", TOTP_DIGITS,
			 (unsigned)totp_code(key, key_len, s, TOTP_DIGITS));
		/* Every step is compared, in constant time, whatever matched. */
		if (CRYPTO_memcmp(want, code, TOTP_DIGITS) == 0 && s > last_used && found < 0)
			found = s;
	}
	return found;
}

char *base32_encode(struct arena *a, const unsigned char *in, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char *out = arena_alloc(a, (n * 8 + 4) / 5 + 1);
	size_t o = 0;
	uint32_t buf = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		buf = buf << 8 | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(buf << (5 - bits)) & 31];
	out[o] = '\0';
	return out;
}

char *totp_qr_svg(struct arena *a, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const int quiet = 4;
	size_t cap, len;
	char *svg;
	int w, size;

	if (qr == NULL)
		return NULL;
	w = qr->width;
	size = w + 2 * quiet;
	/* At most one "M x yh1v1h-1z" (24 bytes) per module, and the frame. */
	cap = (size_t)w * (size_t)w * 24 + 512;
	svg = arena_alloc(a, cap);
	len = (size_t)snprintf(svg, cap,
			       "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			       "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
			       "fill=\"#fff\"/><path fill=\"#000\" d=\"",
			       size, size, size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				len += (size_t)snprintf(svg + len, cap - len, "M%d %dh1v1h-1z",
							x + quiet, y + quiet);
	snprintf(svg + len, cap - len, "\"/></svg>");
	QRcode_free(qr);
	return svg;
}
