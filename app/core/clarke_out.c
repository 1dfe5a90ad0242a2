/*
 * The published forms of a result: JSON and CSV.
 */

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_out.h"
#include "core/csvout.h"
#include "core/money.h"

static void	 json_string(struct buf *, const char *);
static void	 json_amount(struct buf *, const char *, int64_t);
static void	 csv_amount(struct buf *, int64_t);

/* A JSON string: quote, backslash and control characters escaped. */
static void
json_string(struct buf *b, const char *s)
{
	const char	*run;
	unsigned char	 c;

	buf_putc(b, '"');
	for (run = s; (c = (unsigned char)*s) != '\0'; s++) {
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			buf_printf(b, "\\u%04x", c);
			break;
		}
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

/* ,"key":"-12.00" */
static void
json_amount(struct buf *b, const char *key, int64_t cents)
{
	char	 m[MONEY_STRLEN];

	money_format(cents, m);
	buf_printf(b, ",\"%s\":\"%s\"", key, m);
}

void
clarke_json_head(struct buf *b, const struct clarke_result *res)
{
	char	 m[MONEY_STRLEN];

	money_format(res->total_net, m);
	buf_printf(b, "{\"decision\":\"%s\",\"total_net\":\"%s\",\"voters\":[",
	    res->adopt ? "adopt" : "reject", m);
}

void
clarke_json_voter(struct buf *b, const struct clarke_voter *v, int first)
{
	buf_puts(b, first ? "\n{\"voter\":" : ",\n{\"voter\":");
	json_string(b, v->name);
	if (v->abstain)
		buf_puts(b, ",\"bid\":null");
	else
		json_amount(b, "bid", v->bid);
	json_amount(b, "cost_share", v->cost_share);
	json_amount(b, "net", v->net);
	buf_puts(b, v->pivotal ? ",\"pivotal\":true" : ",\"pivotal\":false");
	json_amount(b, "tax", v->tax);
	json_amount(b, "payout", v->payout);
	if (v->receipt != NULL) {
		buf_puts(b, ",\"receipt\":");
		json_string(b, v->receipt);
	}
	buf_putc(b, '}');
}

void
clarke_json_tail(struct buf *b, const struct clarke_result *res)
{
	char	 t[MONEY_STRLEN], p[MONEY_STRLEN];

	money_format(res->total_tax, t);
	money_format(res->total_payout, p);
	buf_printf(b, "\n],\"total_tax\":\"%s\",\"total_payout\":\"%s\"}\n",
	    t, p);
}

void
clarke_json(struct buf *b, const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	size_t	 i;

	clarke_json_head(b, res);
	for (i = 0; i < n; i++)
		clarke_json_voter(b, &v[i], i == 0);
	clarke_json_tail(b, res);
}

static void
csv_amount(struct buf *b, int64_t cents)
{
	char	 m[MONEY_STRLEN];

	money_format(cents, m);
	csv_field(b, m, strlen(m), 0);
}

void
clarke_csv_head(struct buf *b, int receipts)
{
	static const char *const cols[] = {
		"voter", "bid", "cost_share", "net", "pivotal", "tax",
		"payout", "receipt"
	};
	size_t	 i, ncols;

	ncols = sizeof(cols) / sizeof(cols[0]) - (receipts ? 0 : 1);
	for (i = 0; i < ncols; i++)
		csv_field(b, cols[i], strlen(cols[i]), i == 0);
	csv_endrow(b);
}

void
clarke_csv_voter(struct buf *b, const struct clarke_voter *v, int receipts)
{
	const char	*p;

	csv_field(b, v->name, strlen(v->name), 1);
	if (v->abstain)
		csv_field(b, "", 0, 0);
	else
		csv_amount(b, v->bid);
	csv_amount(b, v->cost_share);
	csv_amount(b, v->net);
	p = v->pivotal ? "yes" : "no";
	csv_field(b, p, strlen(p), 0);
	csv_amount(b, v->tax);
	csv_amount(b, v->payout);
	if (receipts) {
		p = v->receipt != NULL ? v->receipt : "";
		csv_field(b, p, strlen(p), 0);
	}
	csv_endrow(b);
}

void
clarke_csv_total(struct buf *b, const struct clarke_result *res,
    int receipts)
{
	csv_field(b, "TOTAL", 5, 1);
	csv_amount(b, res->total_bid);
	csv_amount(b, res->total_cost);
	csv_amount(b, res->total_net);
	csv_field(b, "", 0, 0);
	csv_amount(b, res->total_tax);
	csv_amount(b, res->total_payout);
	if (receipts)
		csv_field(b, "", 0, 0);
	csv_endrow(b);
}

void
clarke_csv(struct buf *b, const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	size_t	 i;
	int	 receipts;

	receipts = 0;
	for (i = 0; i < n && !receipts; i++)
		receipts = v[i].receipt != NULL;
	clarke_csv_head(b, receipts);
	for (i = 0; i < n; i++)
		clarke_csv_voter(b, &v[i], receipts);
	clarke_csv_total(b, res, receipts);
}
