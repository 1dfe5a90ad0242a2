/*
 * Slugs, and deriving them from names.  The folding is a fixed table, not
 * the locale's or ICU's idea of it: the same name must give the same slug
 * everywhere and forever, or an import stops matching the places that an
 * earlier import created.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/slug.h"
#include "core/text.h"

/*
 * Below SLUG_MAX / 2, a cut at a "-" would throw away too much of the
 * name: the slug is cut in the middle of a word instead.
 */
#define SLUG_MIN_CUT	(SLUG_MAX / 2)

/* What separates words in a slug; NULL in a table means the same. */
#define SEP		NULL

/*
 * U+00A0 to U+017F: the Latin-1 Supplement and Latin Extended-A.  Letters
 * fold to their base letters (both cases to lowercase), ligatures and the
 * letters English spells with two (ß, æ, œ, þ, ĳ, ŋ) to two.
 */
static const char *const fold_latin[] = {
	/* U+00A0 */
	SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP,
	SEP, SEP, "a", SEP, SEP, SEP, SEP, SEP,
	/* U+00B0: superscripts as digits, micro as u, ordinals */
	SEP, SEP, "2", "3", SEP, "u", SEP, SEP,
	SEP, "1", "o", SEP, SEP, SEP, SEP, SEP,
	/* U+00C0 */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */
	"d", "n", "o", "o", "o", "o", "o", SEP,
	"o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */
	"d", "n", "o", "o", "o", "o", "o", SEP,
	"o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */
	"a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */
	"d", "d", "e", "e", "e", "e", "e", "e",
	"e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */
	"g", "g", "g", "g", "h", "h", "h", "h",
	"i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	"k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */
	"l", "l", "l", "n", "n", "n", "n", "n",
	"n", "n", "ng", "ng", "o", "o", "o", "o",
	/* U+0150 */
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	"r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */
	"s", "s", "t", "t", "t", "t", "t", "t",
	"u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */
	"u", "u", "u", "u", "w", "w", "y", "y",
	"y", "z", "z", "z", "z", "z", "z", "s",
};

_Static_assert(sizeof(fold_latin) / sizeof(fold_latin[0]) == 0x180 - 0xa0,
    "fold_latin covers U+00A0 to U+017F");

static const char	*slug_fold(uint32_t, char [2]);

/*
 * ASCII for one code point: a letter or digit, a string of them, or SEP;
 * ASCII letters and digits are written to one.
 * Besides the table, a few letters of common names outside it: Romanian
 * ș and ț with a comma below, and the Vietnamese letters.
 */
static const char *
slug_fold(uint32_t cp, char one[2])
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		one[0] = (char)cp;
		one[1] = '\0';
		return (one);
	}
	if (cp >= 'A' && cp <= 'Z') {
		one[0] = (char)(cp - 'A' + 'a');
		one[1] = '\0';
		return (one);
	}
	if (cp >= 0xa0 && cp <= 0x17f)
		return (fold_latin[cp - 0xa0]);
	switch (cp) {
	case 0x1a0:	/* Ơ ơ */
	case 0x1a1:
		return ("o");
	case 0x1af:	/* Ư ư */
	case 0x1b0:
		return ("u");
	case 0x218:	/* Ș ș */
	case 0x219:
		return ("s");
	case 0x21a:	/* Ț ț */
	case 0x21b:
		return ("t");
	}
	/* Latin Extended Additional: the Vietnamese letters with marks. */
	if (cp >= 0x1ea0 && cp <= 0x1eb7)
		return ("a");
	if (cp >= 0x1eb8 && cp <= 0x1ec7)
		return ("e");
	if (cp >= 0x1ec8 && cp <= 0x1ecb)
		return ("i");
	if (cp >= 0x1ecc && cp <= 0x1ee3)
		return ("o");
	if (cp >= 0x1ee4 && cp <= 0x1ef1)
		return ("u");
	if (cp >= 0x1ef2 && cp <= 0x1ef9)
		return ("y");
	return (SEP);
}

int
slug_valid(const char *s, size_t len)
{
	size_t	 i;
	int	 alnum;

	if (len == 0 || len > SLUG_MAX)
		return (0);
	/* Starts as if after a "-": no leading "-", and none doubled. */
	alnum = 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))
			alnum = 1;
		else if (s[i] == '-' && alnum)
			alnum = 0;
		else
			return (0);
	}
	return (alnum);
}

int
slug_derive(const char *name, size_t len, char *out)
{
	/* One character more than fits tells whether a word was cut. */
	char			 tmp[SLUG_MAX + 1], one[2];
	const unsigned char	*u = (const unsigned char *)name;
	const char		*f;
	size_t			 i, n, o, k, cut;
	uint32_t		 cp;
	int			 sep;

	if (!utf8_valid(name, len, NULL))
		return (-1);

	o = 0;
	sep = 0;
	for (i = 0; i < len && o < sizeof(tmp); i += n) {
		if (u[i] < 0x80) {
			n = 1;
			cp = u[i];
		} else {
			n = u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 : 2;
			cp = u[i] & (0xff >> (n + 1));
			for (k = 1; k < n; k++)
				cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		/* Combining marks: "e" and U+0301 is "é", written apart. */
		if (cp >= 0x300 && cp <= 0x36f)
			continue;
		if ((f = slug_fold(cp, one)) == SEP) {
			sep = 1;
			continue;
		}
		if (sep && o > 0 && o < sizeof(tmp))
			tmp[o++] = '-';
		sep = 0;
		for (; *f != '\0' && o < sizeof(tmp); f++)
			tmp[o++] = *f;
	}
	if (o == 0)
		return (-1);

	if (o > SLUG_MAX) {
		/*
		 * Too long.  When the next character starts a new word, the
		 * cut falls between words; else go back to the last "-".
		 */
		cut = SLUG_MAX;
		if (tmp[SLUG_MAX] != '-') {
			for (k = SLUG_MAX; k > 0 && tmp[k - 1] != '-'; k--)
				;
			if (k > SLUG_MIN_CUT)
				cut = k - 1;
		}
		o = cut;
	}
	memcpy(out, tmp, o);
	out[o] = '\0';
	return (0);
}
