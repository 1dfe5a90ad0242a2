/*
 * Hosts that reach only this machine.  Without FACTWIKI_URL, the server
 * may listen on nothing else, and a link repeats the Host a client sent
 * only when it names this machine: a shared cache must not be able to
 * keep a page whose links an attacker's Host chose.
 */

#ifndef FW_HOST_H
#define FW_HOST_H

/*
 * 1 if host, a name or address as a listener is given it ("127.0.0.1",
 * "::1", "localhost"), is a loopback one (127.0.0.0/8, ::1, localhost),
 * else 0.
 */
int	host_loopback(const char *host);

/*
 * 1 if a Host header's value is a loopback host with an optional port:
 * "localhost:8888", "127.0.0.1", "[::1]:8888"; else 0.
 */
int	host_header_loopback(const char *value);

#endif
