/*
 * Slugs name places and variables in URLs: [a-z0-9]+(-[a-z0-9]+)*, at most
 * SLUG_MAX characters.
 */

#ifndef FW_SLUG_H
#define FW_SLUG_H

#include <stddef.h>

#define SLUG_MAX	64

/* 1 if s[0..len) is a valid slug, else 0. */
int	slug_valid(const char *s, size_t len);

/*
 * Derives a slug from a UTF-8 name: lowercase, Latin letters folded to
 * ASCII ("Côte d'Ivoire" -> "cote-d-ivoire", "Straße" -> "strasse"), every
 * run of other characters becomes one "-", none at either end, cut to
 * SLUG_MAX at a "-" boundary when possible.  out holds SLUG_MAX + 1 bytes.
 * Returns 0, or -1 when nothing is left (the name has no letter or digit
 * that folds to ASCII) or the input is not valid UTF-8 (or holds a NUL).
 *
 * Folded: the letters of Latin-1 Supplement and Latin Extended-A, and
 * also Romanian ș ț, the Vietnamese letters, and superscript digits;
 * combining marks (U+0300 to U+036F) are dropped, so that decomposed
 * text folds like composed text.  The cut at a "-" keeps at least half
 * of SLUG_MAX; when it would keep less, the slug is cut in a word.
 */
int	slug_derive(const char *name, size_t len, char *out);

#endif
