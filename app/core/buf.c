/*
 * A growable byte buffer.  Allocation failure aborts: the core has no
 * sensible way to go on without memory, and callers stay simple.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void	buf_grow(struct buf *, size_t);

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t	 want;
	char	*p;

	if (more > (size_t)-1 - b->len - 1)
		abort();
	want = b->len + more + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < want)
		b->cap *= 2;
	if ((p = realloc(b->data, b->cap)) == NULL)
		abort();
	b->data = p;
}

void
buf_append(struct buf *b, const void *p, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 copy;
	char	 probe[1];
	int	 n;

	va_copy(copy, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, copy);
	va_end(copy);
	if (n < 0)
		abort();
	buf_grow(b, (size_t)n);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Always a valid C string, even when nothing was appended. */
const char *
buf_cstr(struct buf *b)
{
	buf_grow(b, 0);
	b->data[b->len] = '\0';
	return (b->data);
}

/* Hands the bytes to the caller, who frees them with free(3). */
char *
buf_release(struct buf *b)
{
	char	*p;

	(void)buf_cstr(b);
	p = b->data;
	buf_init(b);
	return (p);
}
