/*
 * host_loopback() and host_header_loopback().
 */

#include "unit.h"

#include "core/host.h"

static void
test_listeners(void **state)
{
	(void)state;
	assert_true(host_loopback("127.0.0.1"));
	assert_true(host_loopback("127.255.0.9"));
	assert_true(host_loopback("::1"));
	assert_true(host_loopback("localhost"));
	assert_true(host_loopback("LocalHost"));
	assert_false(host_loopback("0.0.0.0"));
	assert_false(host_loopback("::"));
	assert_false(host_loopback("128.0.0.1"));
	assert_false(host_loopback("10.0.0.1"));
	assert_false(host_loopback("::ffff:127.0.0.1"));
	assert_false(host_loopback("localhost.example.org"));
	assert_false(host_loopback(""));
}

static void
test_headers(void **state)
{
	(void)state;
	assert_true(host_header_loopback("localhost"));
	assert_true(host_header_loopback("localhost:8888"));
	assert_true(host_header_loopback("127.0.0.1:1"));
	assert_true(host_header_loopback("[::1]"));
	assert_true(host_header_loopback("[::1]:65535"));
	assert_false(host_header_loopback("evil.example"));
	assert_false(host_header_loopback("evil.example:8888"));
	assert_false(host_header_loopback("localhost.evil.example"));
	assert_false(host_header_loopback("localhost:"));
	assert_false(host_header_loopback("localhost:123456"));
	assert_false(host_header_loopback("localhost:88/x"));
	assert_false(host_header_loopback("localhost:8888:1"));
	assert_false(host_header_loopback("::1"));
	assert_false(host_header_loopback("[::1"));
	assert_false(host_header_loopback("[::1]x"));
	assert_false(host_header_loopback("[::2]:80"));
	assert_false(host_header_loopback("127.0.0.1@evil.example"));
	assert_false(host_header_loopback(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_headers),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
