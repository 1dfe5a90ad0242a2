/*
 * Account names, passwords and tokens.  Only hashes are ever stored: an
 * argon2id string for a password, BLAKE2b-256 for a token (a token has 256
 * random bits, so a fast hash suffices; a password needs a slow one).
 */

#include <string.h>

#include <sodium.h>

#include "core/account.h"

static void	token_format(unsigned char *, char *, unsigned char *);

int
username_check(const char *s, size_t len, const char **errstr)
{
	size_t	 i;

	if (len == 0 || len > USERNAME_MAX) {
		*errstr = "a user name has 1 to 64 characters";
		return (-1);
	}
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i > 0 && (s[i] == '_' || s[i] == '.' || s[i] == '-'))
			continue;
		*errstr = "a user name has letters, digits and . _ - "
		    "(not first)";
		return (-1);
	}
	return (0);
}

int
password_check(const char *s, size_t len, const char **errstr)
{
	if (len < PASSWORD_MIN) {
		*errstr = "a password has at least 8 characters";
		return (-1);
	}
	if (len > PASSWORD_MAX) {
		*errstr = "a password has at most 1024 characters";
		return (-1);
	}
	if (memchr(s, '\0', len) != NULL) {
		*errstr = "a password cannot hold a NUL byte";
		return (-1);
	}
	return (0);
}

int
password_hash(const char *pw, size_t len, char *out)
{
	if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (-1);
	return (0);
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	return (crypto_pwhash_str_verify(hash, pw, len) == 0);
}

/* "fw_" and raw (32 bytes) in base64url, and its hash. */
static void
token_format(unsigned char *raw, char *token, unsigned char *hash)
{
	memcpy(token, "fw_", 3);
	sodium_bin2base64(token + 3, TOKEN_STRLEN - 3 + 1, raw, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, 32);
	token_hash(token, strlen(token), hash);
}

void
token_new(char *token, unsigned char *hash)
{
	unsigned char	 raw[32];

	randombytes_buf(raw, sizeof(raw));
	token_format(raw, token, hash);
}

void
token_derive(const unsigned char *key, const unsigned char *nonce,
    char *token, unsigned char *hash)
{
	unsigned char	 raw[32];

	/* Keyed BLAKE2b is a PRF: without the key, raw is random. */
	crypto_generichash(raw, sizeof(raw), nonce, TOKEN_KEYLEN, key,
	    TOKEN_KEYLEN);
	token_format(raw, token, hash);
}

void
token_hash(const char *token, size_t len, unsigned char *hash)
{
	crypto_generichash(hash, TOKEN_HASHLEN, (const unsigned char *)token,
	    len, NULL, 0);
}
