/*
 * Accounts: names, passwords and the random tokens of API access and
 * sessions.  The same rules for the CLI and the web.
 */

#ifndef FW_ACCOUNT_H
#define FW_ACCOUNT_H

#include <stddef.h>

#define USERNAME_MAX		64
#define PASSWORD_MIN		8
#define PASSWORD_MAX		1024

/* "fw_" and 43 characters of base64url: 32 random bytes. */
#define TOKEN_STRLEN		46
#define TOKEN_HASHLEN		32

/* 0, or -1 with *errstr set to a message fit for a user. */
int	username_check(const char *, size_t, const char **errstr);
int	password_check(const char *, size_t, const char **errstr);

/*
 * argon2id (libsodium crypto_pwhash_str) of a password; out holds
 * PASSWORD_HASHLEN bytes.  -1 when out of memory.
 */
#define PASSWORD_HASHLEN	128
int	password_hash(const char *, size_t, char *out);
int	password_verify(const char *hash, const char *, size_t);

/* A new random token (TOKEN_STRLEN + 1 bytes) and its hash. */
void	token_new(char *token, unsigned char *hash);
/*
 * The token that key and nonce (TOKEN_KEYLEN bytes each) make, and its
 * hash: for a server that must show a new token again after a query, and
 * so lets the database carry only the nonce, which tells nothing without
 * the key.
 */
#define TOKEN_KEYLEN		32
void	token_derive(const unsigned char *key, const unsigned char *nonce,
	    char *token, unsigned char *hash);
/* The hash under which a token is stored: BLAKE2b-256. */
void	token_hash(const char *token, size_t, unsigned char *hash);

#endif
