/*
 * Loopback hosts, as listeners and Host headers give them.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "core/host.h"

/* The longest address inet_pton(3) takes, with its NUL. */
#define ADDR_MAX	INET6_ADDRSTRLEN

static int	port_valid(const char *);
static int	host_loopback_len(const char *, size_t);

/* ":N", N one to five digits, or nothing. */
static int
port_valid(const char *s)
{
	size_t	 n;

	if (*s == '\0')
		return (1);
	if (*s++ != ':')
		return (0);
	n = strspn(s, "0123456789");
	return (n >= 1 && n <= 5 && s[n] == '\0');
}

static int
host_loopback_len(const char *host, size_t len)
{
	char		 addr[ADDR_MAX];
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (len == strlen("localhost") && strncasecmp(host, "localhost",
	    len) == 0)
		return (1);
	if (len == 0 || len >= sizeof(addr) || memchr(host, '\0', len))
		return (0);
	memcpy(addr, host, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&a6));
	return (0);
}

int
host_loopback(const char *host)
{
	return (host_loopback_len(host, strlen(host)));
}

int
host_header_loopback(const char *value)
{
	const char	*end;

	if (value[0] == '[') {
		if ((end = strchr(value, ']')) == NULL)
			return (0);
		return (host_loopback_len(value + 1, (size_t)(end - value - 1)) &&
		    port_valid(end + 1));
	}
	end = value + strcspn(value, ":");
	return (host_loopback_len(value, (size_t)(end - value)) &&
	    port_valid(end));
}
