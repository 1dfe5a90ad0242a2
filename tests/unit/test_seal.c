/*
 * The master key file: its text both ways, every way it can be wrong, and
 * the key's id.
 */

#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "core/seal.h"

static void
test_master_text(void **state)
{
	unsigned char	 k[SEAL_MASTERBYTES], back[SEAL_MASTERBYTES];
	char		 text[SEAL_KEYFILE_LEN], bad[SEAL_KEYFILE_LEN];
	const char	*errstr;

	(void)state;
	seal_master_new(k);
	seal_master_format(k, text);
	assert_int_equal(text[SEAL_KEYFILE_LEN - 1], '\n');
	assert_int_equal(seal_master_parse(text, sizeof(text), back, &errstr),
	    0);
	assert_memory_equal(k, back, sizeof(k));
	/* Without the newline too, and in capitals. */
	memcpy(bad, text, sizeof(bad));
	bad[0] = bad[0] >= 'a' ? (char)(bad[0] - 'a' + 'A') : bad[0];
	assert_int_equal(seal_master_parse(bad, sizeof(bad) - 1, back,
	    &errstr), 0);
	assert_memory_equal(k, back, sizeof(k));

	assert_int_equal(seal_master_parse(text, 10, back, &errstr), -1);
	assert_non_null(strstr(errstr, "64 hexadecimal digits"));
	assert_int_equal(seal_master_parse("", 0, back, &errstr), -1);
	memcpy(bad, text, sizeof(bad));
	bad[5] = 'g';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
	assert_non_null(strstr(errstr, "hexadecimal digits only"));
	bad[5] = '\0';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
	memcpy(bad, text, sizeof(bad));
	bad[SEAL_KEYFILE_LEN - 1] = ' ';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
}

static void
test_master_id(void **state)
{
	unsigned char	 a[SEAL_MASTERBYTES], b[SEAL_MASTERBYTES];
	char		 ida[SEAL_KEYID_STRLEN], ida2[SEAL_KEYID_STRLEN];
	char		 idb[SEAL_KEYID_STRLEN];

	(void)state;
	seal_master_new(a);
	seal_master_new(b);
	seal_master_id(a, ida);
	seal_master_id(a, ida2);
	seal_master_id(b, idb);
	assert_int_equal(strlen(ida), SEAL_KEYID_STRLEN - 1);
	assert_string_equal(ida, ida2);
	assert_string_not_equal(ida, idb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_text),
		cmocka_unit_test(test_master_id),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
