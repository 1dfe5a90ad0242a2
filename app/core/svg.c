/*
 * SVG charts.  Output is XML as well as HTML: every text and attribute
 * goes through html_text()/html_attr(), every coordinate through
 * svg_coord() ("%.1f").
 *
 * Values are decimal text.  They are turned into doubles here only to
 * place points on the page, where a double's 15 digits are far more than
 * a pixel needs; labels, tooltips and descriptions show the original text.
 */

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/money.h"
#include "core/svg.h"

/* Line chart. */
#define LW		640
#define LH		320
#define L_LEFT		58.0
#define L_RIGHT		16.0
#define L_LEGEND	150.0
#define L_TOP		50.0
#define L_BOTTOM	36.0
#define L_INSET		10.0	/* points clear of the y axis */
#define L_DENSE		8.0	/* px a year: closer, only the line shows */

/* Sparkline. */
#define SW		100
#define SH		24
#define S_PAD		3.0

/* Bar chart. */
#define BW		640
#define B_ROW		22.0
#define B_LABEL		156.0	/* label column */
#define B_TEXT		96.0	/* value column */

#define FONT		"system-ui, -apple-system, 'Segoe UI', Roboto, " \
			"'Helvetica Neue', Arial, sans-serif"
#define INK		"#222"
#define MUTED		"#555"
#define GRID		"#e3e3e3"
#define AXIS		"#888"

/*
 * Paul Tol's "muted" scheme, told apart with every common colour vision
 * deficiency, most contrasting first; a dark grey makes ten.
 */
static const char *const palette[SVG_MAX_SERIES] = {
	"#332288", "#CC6677", "#117733", "#88CCEE", "#882255",
	"#44AA99", "#999933", "#AA4499", "#DDCC77", "#555555"
};

/* Okabe and Ito's blue and vermillion, for gains and losses. */
#define BAR_POS		"#0072B2"
#define BAR_NEG		"#D55E00"

struct pt {
	int		 year;
	double		 v;
	const char	*text;
	size_t		 idx;
};

/* A series' drawable points, sorted by year. */
struct line {
	const char	*label;
	struct pt	*p;
	size_t		 n;
	double		 maxgap;	/* longer gaps break the line */
};

/* A line chart being drawn: its series, what they span, where they go. */
struct plot {
	struct line	 l[SVG_MAX_SERIES];
	size_t		 ns;
	size_t		 total;		/* points, of all series */
	double		 lo, hi;	/* of the values */
	int		 ymin, ymax;	/* of the years */
	double		 left, right, top, bottom;
	double		 x0, x1;	/* where ymin and ymax go */
	struct svg_axis	 ya;
	const char	*unit;
};

/* A series document read from JSON. */
struct jdoc {
	struct svg_series	  s[SVG_MAX_SERIES];
	size_t			  ns;
	int			 *years;
	const char		**values;
	char			(*num)[32];
	struct buf		  title;
	const char		 *unit;
};

static int	value_parse(const char *, double *);
static int	cmp_pt(const void *, const void *);
static int	cmp_int(const void *, const void *);
static void	line_load(struct line *, const struct svg_series *);
static int	line_breaks(const struct line *, size_t);
static void	put_trunc(struct buf *, const char *, size_t);
static size_t	utf8_prefix(const char *, size_t);
static void	put_tip(struct buf *, const char *, int, const char *,
		    const char *);
static void	svg_open(struct buf *, const char *, int, int, int,
		    const char *, const struct buf *);
static void	tick_label(struct buf *, double, const struct svg_axis *);
static void	no_data(struct buf *, double, double, int);
static void	put_heading(struct buf *, int, int, const char *, size_t);
static void	put_line(struct buf *, double, double, double, double);
static void	plot_load(struct plot *, const struct svg_series *, size_t,
		    const char *);
static void	plot_free(struct plot *);
static void	plot_desc(struct buf *, const struct plot *);
static void	plot_scale(struct plot *);
static double	plot_x(const struct plot *, double);
static double	plot_y(const struct plot *, double);
static double	plot_tick(const struct plot *, size_t);
static void	plot_grid(struct buf *, const struct plot *);
static void	plot_y_axis(struct buf *, const struct plot *);
static void	plot_x_axis(struct buf *, const struct plot *);
static void	plot_zero(struct buf *, const struct plot *);
static void	plot_paths(struct buf *, const struct plot *, size_t);
static void	plot_dots(struct buf *, const struct plot *, size_t, int);
static void	plot_series(struct buf *, const struct plot *);
static void	plot_legend(struct buf *, const struct plot *);
static void	jdoc_free(struct jdoc *);
static int	jdoc_load(struct jdoc *, const json_t *, size_t,
		    struct buf *);
static int	jseries(struct jdoc *, const json_t *, size_t, size_t *,
		    struct buf *);
static const char *jstr(const json_t *, const char *, const char *);

/*
 * Decimal text to double, only to find a pixel: the grammar of a fact
 * value, as strtod alone would also take "nan", "inf" and hex.  strtod
 * reads "." as the point: the server never calls setlocale().  Magnitudes
 * beyond 1e-150..1e150 (no real quantity) are not drawn, which keeps
 * every difference and tick step of the axis finite and non-zero.
 */
static int
value_parse(const char *s, double *d)
{
	const char	*p;

	if ((p = s) == NULL)
		return (-1);
	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9') &&
	    !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
		return (-1);
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return (-1);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return (-1);
	*d = strtod(s, NULL);
	if (*d != 0.0 && (!(fabs(*d) > 1e-150) || !(fabs(*d) < 1e150)))
		return (-1);
	return (0);
}

static int
cmp_pt(const void *a, const void *b)
{
	const struct pt	*x = a, *y = b;

	if (x->year != y->year)
		return (x->year < y->year ? -1 : 1);
	return (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int
cmp_int(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	return (*x < *y ? -1 : *x > *y);
}

/* The points that have a value, by year, and where the line breaks. */
static void
line_load(struct line *l, const struct svg_series *s)
{
	int		*gaps, ng;
	size_t		 i;
	double		 v, median;

	memset(l, 0, sizeof(*l));
	l->label = s->label != NULL ? s->label : "";
	if (s->n == 0)
		return;
	if ((l->p = calloc(s->n, sizeof(*l->p))) == NULL)
		abort();
	for (i = 0; i < s->n; i++) {
		if (value_parse(s->values[i], &v) == -1)
			continue;
		l->p[l->n].year = s->years[i];
		l->p[l->n].v = v;
		l->p[l->n].text = s->values[i];
		l->p[l->n].idx = i;
		l->n++;
	}
	qsort(l->p, l->n, sizeof(*l->p), cmp_pt);

	/* 1.5 times the median of the gaps (repeated years left out). */
	l->maxgap = INFINITY;
	if (l->n < 3)
		return;
	if ((gaps = calloc(l->n, sizeof(*gaps))) == NULL)
		abort();
	ng = 0;
	for (i = 1; i < l->n; i++) {
		if (l->p[i].year != l->p[i - 1].year)
			gaps[ng++] = l->p[i].year - l->p[i - 1].year;
	}
	if (ng > 0) {
		qsort(gaps, (size_t)ng, sizeof(*gaps), cmp_int);
		median = ng % 2 ? gaps[ng / 2] :
		    (gaps[ng / 2 - 1] + gaps[ng / 2]) / 2.0;
		l->maxgap = 1.5 * median;
	}
	free(gaps);
}

/* 1 if the line does not join point i - 1 to point i. */
static int
line_breaks(const struct line *l, size_t i)
{
	return (i == 0 ||
	    (double)l->p[i].year - (double)l->p[i - 1].year > l->maxgap);
}

/* Ten times a double is exact in a long double: see svg_coord(). */
_Static_assert(LDBL_MANT_DIG >= DBL_MANT_DIG + 4,
    "x * 10 must be exact in a long double");

/*
 * A coordinate, as "%.1f" prints it (never "-0.0"), without printf: a
 * chart has hundreds, and printf's exact conversion was a tenth of the
 * worker's time.  x * 10 is exact in a long double, so rounding it to an
 * integer rounds x as printf does: to nearest, a tie to even.
 */
void
svg_coord(struct buf *b, double x)
{
	char			 s[32], *p;
	long long		 n;
	unsigned long long	 u;

	if (fabs(x) < 0.05)
		x = 0.0;
	/* Past 10^15 (or not a number), printf: no chart goes there. */
	if (!(fabs(x) < 1e15)) {
		buf_printf(b, "%.1f", x);
		return;
	}
	n = llrintl((long double)x * 10.0L);
	u = n < 0 ? -(unsigned long long)n : (unsigned long long)n;
	p = s + sizeof(s);
	*--p = (char)('0' + u % 10);
	*--p = '.';
	u /= 10;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(s + sizeof(s) - p));
}

/* The byte length of at most max code points of s. */
static size_t
utf8_prefix(const char *s, size_t max)
{
	size_t	 i, n;

	for (i = 0, n = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == max)
			break;
	}
	return (i);
}

/* Escaped, cut to max code points with an ellipsis. */
static void
put_trunc(struct buf *b, const char *s, size_t max)
{
	size_t	 len, cut;

	len = strlen(s);
	cut = utf8_prefix(s, max);
	if (cut >= len) {
		html_text(b, s, len);
		return;
	}
	cut = utf8_prefix(s, max - 1);
	html_text(b, s, cut);
	buf_puts(b, "\xe2\x80\xa6");
}

/* "Place, YEAR: VALUE UNIT", escaped. */
static void
put_tip(struct buf *b, const char *label, int year, const char *text,
    const char *unit)
{
	if (label[0] != '\0') {
		html_puts(b, label);
		buf_puts(b, ", ");
	}
	buf_printf(b, "%d: ", year);
	html_puts(b, text);
	if (unit[0] != '\0') {
		buf_putc(b, ' ');
		html_puts(b, unit);
	}
}

/*
 * The root element with its accessible name and description.  A chart
 * that scales gets width 100% and keeps its aspect ratio; a sparkline has
 * a fixed size.  desc is escaped already.
 */
static void
svg_open(struct buf *b, const char *cls, int w, int h, int fluid,
    const char *title, const struct buf *desc)
{
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"%s\" viewBox=\"0 0 %d %d\" ", cls, w, h);
	if (fluid)
		buf_puts(b, "width=\"100%\" ");
	else
		buf_printf(b, "width=\"%d\" height=\"%d\" ", w, h);
	buf_puts(b, "role=\"img\" aria-label=\"");
	html_attr(b, title, strlen(title));
	buf_puts(b, "\" font-family=\"" FONT "\" font-size=\"12\">\n<title>");
	html_puts(b, title);
	buf_puts(b, "</title>\n");
	if (desc != NULL && desc->len > 0) {
		buf_puts(b, "<desc>");
		buf_append(b, desc->data, desc->len);
		buf_puts(b, "</desc>\n");
	}
}

static void
no_data(struct buf *b, double x, double y, int size)
{
	buf_puts(b, "<text class=\"chart-empty\" x=\"");
	svg_coord(b, x);
	buf_puts(b, "\" y=\"");
	svg_coord(b, y);
	buf_printf(b, "\" text-anchor=\"middle\" font-size=\"%d\" "
	    "fill=\"" MUTED "\">No data</text>\n", size);
}

/* The background and the title, cut to max code points. */
static void
put_heading(struct buf *b, int w, int h, const char *title, size_t max)
{
	buf_printf(b, "<rect class=\"chart-bg\" width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/>\n", w, h);
	buf_puts(b, "<text class=\"chart-title\" x=\"8\" y=\"20\" "
	    "font-size=\"15\" font-weight=\"bold\" fill=\"" INK "\">");
	put_trunc(b, title, max);
	buf_puts(b, "</text>\n");
}

/* The coordinates of a <line>. */
static void
put_line(struct buf *b, double x1, double x2, double y1, double y2)
{
	buf_puts(b, "x1=\"");
	svg_coord(b, x1);
	buf_puts(b, "\" x2=\"");
	svg_coord(b, x2);
	buf_puts(b, "\" y1=\"");
	svg_coord(b, y1);
	buf_puts(b, "\" y2=\"");
	svg_coord(b, y2);
	buf_putc(b, '"');
}

double
svg_nice_num(double x, int round)
{
	double	 e, f, nf;

	e = floor(log10(x));
	f = x / pow(10.0, e);
	if (round)
		nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	else
		nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	return (nf * pow(10.0, e));
}

void
svg_nice_axis(double lo, double hi, int want, struct svg_axis *ax)
{
	double	 range, d;

	if (want < 2)
		want = 2;
	if (!isfinite(lo) || !isfinite(hi) || !isfinite(hi - lo)) {
		lo = 0.0;
		hi = 1.0;
	}
	if (hi < lo) {
		d = lo;
		lo = hi;
		hi = d;
	}
	if (!(hi > lo)) {
		d = lo == 0.0 ? 1.0 : fabs(lo) / 10.0;
		lo -= d;
		hi += d;
	}
	range = svg_nice_num(hi - lo, 0);
	d = svg_nice_num(range / (want - 1), 1);
	if (!(d > 0.0) || !isfinite(d) || (hi - lo) / d > 1000.0) {
		/* Out of a double's reach: one step from end to end. */
		ax->step = hi - lo;
		ax->min = lo;
		ax->max = hi;
		ax->nticks = 2;
		ax->nfrac = 0;
		return;
	}
	ax->step = d;
	ax->min = floor(lo / d) * d;
	ax->max = ceil(hi / d) * d;
	ax->nticks = (size_t)llround((ax->max - ax->min) / d) + 1;
	ax->nfrac = (int)fmax(-floor(log10(d)), 0.0);
}

/*
 * A y tick: 30M rather than 30000000, with as many fraction digits as
 * the step needs; these are the axis' own numbers, not data.
 */
static void
tick_label(struct buf *b, double x, const struct svg_axis *ax)
{
	const char	*suffix;
	double		 m, scale, step;
	int		 nfrac;

	m = fmax(fabs(ax->min), fabs(ax->max));
	scale = 1.0;
	suffix = "";
	if (m >= 1e9) {
		scale = 1e9;
		suffix = "B";
	} else if (m >= 1e6) {
		scale = 1e6;
		suffix = "M";
	} else if (m >= 1e4) {
		scale = 1e3;
		suffix = "k";
	}
	step = ax->step / scale;
	nfrac = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (nfrac > 12)
		nfrac = 12;
	x /= scale;
	if (fabs(x) < step * 1e-6) {
		buf_putc(b, '0');
		return;
	}
	buf_printf(b, "%.*f%s", nfrac, x, suffix);
}

/* The series' points and what they span: years, and values. */
static void
plot_load(struct plot *p, const struct svg_series *s, size_t ns,
    const char *unit)
{
	const struct pt	*pt;
	size_t		 i, k;

	memset(p, 0, sizeof(*p));
	p->ns = ns;
	p->unit = unit;
	for (i = 0; i < ns; i++) {
		line_load(&p->l[i], &s[i]);
		for (k = 0; k < p->l[i].n; k++) {
			pt = &p->l[i].p[k];
			if (p->total++ == 0) {
				p->lo = p->hi = pt->v;
				p->ymin = p->ymax = pt->year;
			}
			p->lo = fmin(p->lo, pt->v);
			p->hi = fmax(p->hi, pt->v);
			p->ymin = pt->year < p->ymin ? pt->year : p->ymin;
			p->ymax = pt->year > p->ymax ? pt->year : p->ymax;
		}
	}
}

static void
plot_free(struct plot *p)
{
	size_t	 i;

	for (i = 0; i < p->ns; i++)
		free(p->l[i].p);
}

/* "Line chart in UNIT. Place: N observations, FIRST to LAST.", escaped. */
static void
plot_desc(struct buf *desc, const struct plot *p)
{
	const struct line	*l;
	size_t			 i;

	buf_puts(desc, "Line chart");
	if (p->unit[0] != '\0') {
		buf_puts(desc, " in ");
		html_puts(desc, p->unit);
	}
	buf_puts(desc, ".");
	for (i = 0; i < p->ns; i++) {
		l = &p->l[i];
		buf_putc(desc, ' ');
		if (l->label[0] != '\0') {
			html_puts(desc, l->label);
			buf_puts(desc, ": ");
		}
		if (l->n == 0) {
			buf_puts(desc, "no data.");
			continue;
		}
		buf_printf(desc, "%zu observation%s, ", l->n,
		    l->n == 1 ? "" : "s");
		buf_printf(desc, "%d: ", l->p[0].year);
		html_puts(desc, l->p[0].text);
		if (l->n > 1) {
			buf_printf(desc, " to %d: ", l->p[l->n - 1].year);
			html_puts(desc, l->p[l->n - 1].text);
		}
		buf_putc(desc, '.');
	}
}

/*
 * The plot area, clear of the legend when there is one, and the y axis.
 * Zero joins the axis when it is no further off than the spread.
 */
static void
plot_scale(struct plot *p)
{
	double	 lo, hi, span;

	p->left = L_LEFT;
	p->right = LW - L_RIGHT - (p->ns > 1 ? L_LEGEND : 0.0);
	p->top = L_TOP;
	p->bottom = LH - L_BOTTOM;
	p->x0 = p->left + L_INSET;
	p->x1 = p->right - L_INSET;

	lo = p->lo;
	hi = p->hi;
	span = hi - lo;
	if (lo > 0.0 && lo <= span)
		lo = 0.0;
	else if (hi < 0.0 && -hi <= span)
		hi = 0.0;
	svg_nice_axis(lo, hi, 5, &p->ya);
}

/* The pixel of a year, and of a value. */
static double
plot_x(const struct plot *p, double year)
{
	if (p->ymin == p->ymax)
		return ((p->x0 + p->x1) / 2.0);
	return (p->x0 + (year - p->ymin) / ((double)p->ymax - p->ymin) *
	    (p->x1 - p->x0));
}

static double
plot_y(const struct plot *p, double v)
{
	return (p->bottom - (v - p->ya.min) / (p->ya.max - p->ya.min) *
	    (p->bottom - p->top));
}

/* The y tick k. */
static double
plot_tick(const struct plot *p, size_t k)
{
	return (p->ya.min + (double)k * p->ya.step);
}

/* A line across the plot at each y tick. */
static void
plot_grid(struct buf *b, const struct plot *p)
{
	double	 y;
	size_t	 k;

	buf_puts(b, "<g class=\"grid\" stroke=\"" GRID "\" "
	    "stroke-width=\"1\">\n");
	for (k = 0; k < p->ya.nticks; k++) {
		y = plot_y(p, plot_tick(p, k));
		buf_puts(b, "<line ");
		put_line(b, p->left, p->right, y, y);
		buf_puts(b, "/>\n");
	}
	buf_puts(b, "</g>\n");
}

/* The y ticks' labels, left of the plot. */
static void
plot_y_axis(struct buf *b, const struct plot *p)
{
	size_t	 k;

	buf_puts(b, "<g class=\"axis axis-y\" font-size=\"11\" "
	    "fill=\"" MUTED "\" text-anchor=\"end\">\n");
	for (k = 0; k < p->ya.nticks; k++) {
		buf_puts(b, "<text x=\"");
		svg_coord(b, p->left - 6.0);
		buf_puts(b, "\" y=\"");
		svg_coord(b, plot_y(p, plot_tick(p, k)));
		buf_puts(b, "\" dy=\"0.32em\">");
		tick_label(b, plot_tick(p, k), &p->ya);
		buf_puts(b, "</text>\n");
	}
	buf_puts(b, "</g>\n");
}

/* The x axis, years as whole numbers only. */
static void
plot_x_axis(struct buf *b, const struct plot *p)
{
	struct svg_axis	 xa;
	double		 x;
	long		 step, t;

	buf_puts(b, "<g class=\"axis axis-x\" font-size=\"11\" fill=\"" MUTED
	    "\" stroke=\"" AXIS "\" text-anchor=\"middle\">\n<line ");
	put_line(b, p->left, p->right, p->bottom, p->bottom);
	buf_puts(b, "/>\n");
	if (p->ymin == p->ymax) {
		step = 1;
		t = p->ymin;
	} else {
		svg_nice_axis(p->ymin, p->ymax, p->ns > 1 ? 5 : 7, &xa);
		step = xa.step < 1.0 ? 1 : lround(xa.step);
		/* The first multiple of step at or after ymin. */
		t = (long)p->ymin / step * step;
		if (t < p->ymin)
			t += step;
	}
	for (; t <= p->ymax; t += step) {
		x = plot_x(p, t);
		buf_puts(b, "<line ");
		put_line(b, x, x, p->bottom, p->bottom + 4.0);
		buf_puts(b, "/><text x=\"");
		svg_coord(b, x);
		buf_puts(b, "\" y=\"");
		svg_coord(b, p->bottom + 18.0);
		buf_printf(b, "\" stroke=\"none\">%ld</text>\n", t);
	}
	buf_puts(b, "</g>\n");
}

/* A darker line at zero, when the axis goes below it and reaches it. */
static void
plot_zero(struct buf *b, const struct plot *p)
{
	double	 y;

	if (!(p->ya.min < 0.0 && p->ya.max >= 0.0))
		return;
	y = plot_y(p, 0.0);
	buf_puts(b, "<line class=\"zero\" ");
	put_line(b, p->left, p->right, y, y);
	buf_puts(b, " stroke=\"#444\" stroke-width=\"1\"/>\n");
}

/* Series i: one <path> for each unbroken run of two points or more. */
static void
plot_paths(struct buf *b, const struct plot *p, size_t i)
{
	const struct line	*l = &p->l[i];
	size_t			 k, run, j;

	for (k = 0; k < l->n; k = run) {
		for (run = k + 1; run < l->n && !line_breaks(l, run); run++)
			;
		if (run - k < 2)
			continue;
		buf_puts(b, "<path class=\"line\" d=\"");
		for (j = k; j < run; j++) {
			buf_puts(b, j == k ? "M" : " L");
			svg_coord(b, plot_x(p, l->p[j].year));
			buf_putc(b, ' ');
			svg_coord(b, plot_y(p, l->p[j].v));
		}
		buf_puts(b, "\" fill=\"none\" stroke-width=\"2\" "
		    "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
	}
}

/*
 * Series i: a dot for each point, with its tooltip.  Where the years are
 * too close for a dot each (dense), the dots on a line are drawn clear,
 * still there to point at; a point alone between gaps stays a dot.
 */
static void
plot_dots(struct buf *b, const struct plot *p, size_t i, int dense)
{
	const struct line	*l = &p->l[i];
	size_t			 k;
	int			 alone;

	for (k = 0; k < l->n; k++) {
		alone = line_breaks(l, k) &&
		    (k + 1 == l->n || line_breaks(l, k + 1));
		buf_puts(b, "<circle cx=\"");
		svg_coord(b, plot_x(p, l->p[k].year));
		buf_puts(b, "\" cy=\"");
		svg_coord(b, plot_y(p, l->p[k].v));
		if (dense && !alone)
			buf_puts(b, "\" r=\"3\" fill-opacity=\"0\" "
			    "stroke=\"none\"><title>");
		else
			buf_puts(b, "\" r=\"3\" stroke=\"#fff\" "
			    "stroke-width=\"1\"><title>");
		put_tip(b, l->label, l->p[k].year, l->p[k].text, p->unit);
		buf_puts(b, "</title></circle>\n");
	}
}

/* Each series with data, in its colour: the lines, then the dots. */
static void
plot_series(struct buf *b, const struct plot *p)
{
	size_t	 i;
	int	 dense;

	dense = p->ymax > p->ymin &&
	    (p->x1 - p->x0) / ((double)p->ymax - p->ymin) < L_DENSE;
	for (i = 0; i < p->ns; i++) {
		if (p->l[i].n == 0)
			continue;
		buf_printf(b, "<g class=\"series series-%zu\" fill=\"%s\" "
		    "stroke=\"%s\">\n", i, palette[i], palette[i]);
		plot_paths(b, p, i);
		plot_dots(b, p, i, dense);
		buf_puts(b, "</g>\n");
	}
}

/* Right of the plot, every series; one without data stays, greyed. */
static void
plot_legend(struct buf *b, const struct plot *p)
{
	double	 y;
	size_t	 i;

	buf_puts(b, "<g class=\"legend\" font-size=\"12\" fill=\"" INK "\">\n");
	for (i = 0; i < p->ns; i++) {
		y = p->top + 6.0 + (double)i * 20.0;
		buf_printf(b, "<g class=\"series-%zu\"%s><rect x=\"", i,
		    p->l[i].n == 0 ? " opacity=\"0.45\"" : "");
		svg_coord(b, p->right + 14.0);
		buf_puts(b, "\" y=\"");
		svg_coord(b, y - 2.0);
		buf_printf(b, "\" width=\"16\" height=\"4\" rx=\"1\" "
		    "fill=\"%s\"/><text x=\"", palette[i]);
		svg_coord(b, p->right + 36.0);
		buf_puts(b, "\" y=\"");
		svg_coord(b, y);
		buf_puts(b, "\" dy=\"0.32em\"><title>");
		html_puts(b, p->l[i].label);
		buf_puts(b, "</title>");
		put_trunc(b, p->l[i].label, 17);
		buf_puts(b, "</text></g>\n");
	}
	buf_puts(b, "</g>\n");
}

int
svg_line_chart(struct buf *b, const struct svg_series *s, size_t ns,
    const char *title, const char *unit)
{
	struct plot	 p;
	struct buf	 desc;

	if (ns > SVG_MAX_SERIES)
		return (-1);
	if (title == NULL || title[0] == '\0')
		title = "Chart";
	plot_load(&p, s, ns, unit != NULL ? unit : "");
	buf_init(&desc);
	plot_desc(&desc, &p);
	svg_open(b, "chart chart-line", LW, LH, 1, title, &desc);
	buf_free(&desc);
	put_heading(b, LW, LH, title, 70);
	if (p.unit[0] != '\0') {
		buf_puts(b, "<text class=\"chart-unit\" x=\"8\" y=\"38\" "
		    "font-size=\"11\" fill=\"" MUTED "\">");
		put_trunc(b, p.unit, 60);
		buf_puts(b, "</text>\n");
	}
	if (p.total == 0) {
		no_data(b, LW / 2.0, LH / 2.0, 14);
	} else {
		plot_scale(&p);
		plot_grid(b, &p);
		plot_y_axis(b, &p);
		plot_x_axis(b, &p);
		plot_zero(b, &p);
		plot_series(b, &p);
		if (ns > 1)
			plot_legend(b, &p);
	}
	buf_puts(b, "</svg>\n");
	plot_free(&p);
	return (0);
}

int
svg_sparkline(struct buf *b, const struct svg_series *s, const char *title,
    const char *unit)
{
	struct line	 l;
	struct buf	 desc;
	double		 lo, hi;
	size_t		 k;
	const struct pt	*last;

	last = NULL;
	if (title == NULL || title[0] == '\0')
		title = "Sparkline";
	if (unit == NULL)
		unit = "";
	line_load(&l, s);
	buf_init(&desc);
	if (l.n > 0) {
		last = &l.p[l.n - 1];
		buf_puts(&desc, "Last value ");
		put_tip(&desc, "", last->year, last->text, unit);
	}
	svg_open(b, "chart sparkline", SW, SH, 0, title, &desc);
	if (l.n == 0) {
		no_data(b, SW / 2.0, SH / 2.0 + 3.0, 9);
		goto done;
	}
	lo = hi = l.p[0].v;
	for (k = 1; k < l.n; k++) {
		lo = fmin(lo, l.p[k].v);
		hi = fmax(hi, l.p[k].v);
	}

#define XPX(yr)	(l.p[0].year == last->year ? SW / 2.0 : S_PAD + \
	((double)(yr) - l.p[0].year) / ((double)last->year - l.p[0].year) * \
	(SW - 2 * S_PAD))
#define YPX(v)	(hi == lo ? SH / 2.0 : \
	SH - S_PAD - ((v) - lo) / (hi - lo) * (SH - 2 * S_PAD))

	buf_printf(b, "<path class=\"line\" d=\"");
	for (k = 0; k < l.n; k++) {
		if (k > 0)
			buf_putc(b, ' ');
		buf_putc(b, line_breaks(&l, k) ? 'M' : 'L');
		svg_coord(b, XPX(l.p[k].year));
		buf_putc(b, ' ');
		svg_coord(b, YPX(l.p[k].v));
	}
	buf_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
	    "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
	    palette[0]);
	buf_puts(b, "<circle class=\"last\" cx=\"");
	svg_coord(b, XPX(last->year));
	buf_puts(b, "\" cy=\"");
	svg_coord(b, YPX(last->v));
	buf_printf(b, "\" r=\"2\" fill=\"%s\"><title>", palette[1]);
	put_tip(b, l.label, last->year, last->text, unit);
	buf_puts(b, "</title></circle>\n");
#undef XPX
#undef YPX

done:
	buf_puts(b, "</svg>\n");
	free(l.p);
	buf_free(&desc);
	return (0);
}

int
svg_bar_chart(struct buf *b, const struct svg_bar *bars, size_t n,
    const char *title, const char *unit)
{
	struct buf	 desc;
	double		 lo, hi, x0, x1, zero, x, y, h;
	size_t		 i, npos, nneg;
	int		 height;
	const char	*label, *text;

	if (n > SVG_MAX_BARS)
		return (-1);
	if (title == NULL || title[0] == '\0')
		title = "Bar chart";
	if (unit == NULL)
		unit = "";

	/* Minor units as doubles: exact to 2^53, and only for pixels. */
	lo = hi = 0.0;
	npos = nneg = 0;
	for (i = 0; i < n; i++) {
		lo = fmin(lo, (double)bars[i].value);
		hi = fmax(hi, (double)bars[i].value);
		npos += bars[i].value > 0;
		nneg += bars[i].value < 0;
	}
	buf_init(&desc);
	buf_printf(&desc, "Bar chart of %zu value%s", n, n == 1 ? "" : "s");
	if (unit[0] != '\0') {
		buf_puts(&desc, " in ");
		html_puts(&desc, unit);
	}
	buf_printf(&desc, ": %zu positive, %zu negative.", npos, nneg);

	height = (int)(40.0 + (n == 0 ? 60.0 : (double)n * B_ROW) + 10.0);
	svg_open(b, "chart chart-bars", BW, height, 1, title, &desc);
	put_heading(b, BW, height, title, 80);
	if (n == 0) {
		no_data(b, BW / 2.0, 75.0, 14);
		goto done;
	}

	x0 = B_LABEL;
	x1 = BW - B_TEXT;
	if (hi == lo)
		hi = lo + 1.0;
	zero = x0 + (0.0 - lo) / (hi - lo) * (x1 - x0);
	for (i = 0; i < n; i++) {
		label = bars[i].label != NULL ? bars[i].label : "";
		text = bars[i].text != NULL ? bars[i].text : "";
		y = 40.0 + (double)i * B_ROW;
		x = x0 + ((double)bars[i].value - lo) / (hi - lo) * (x1 - x0);
		h = B_ROW - 6.0;
		buf_printf(b, "<g class=\"bar %s\">\n<rect x=\"",
		    bars[i].value < 0 ? "neg" : "pos");
		svg_coord(b, fmin(x, zero));
		buf_puts(b, "\" y=\"");
		svg_coord(b, y + 3.0);
		buf_puts(b, "\" width=\"");
		svg_coord(b, fabs(x - zero));
		buf_puts(b, "\" height=\"");
		svg_coord(b, h);
		buf_printf(b, "\" fill=\"%s\"><title>",
		    bars[i].value < 0 ? BAR_NEG : BAR_POS);
		html_puts(b, label);
		buf_puts(b, ": ");
		html_puts(b, text);
		if (unit[0] != '\0') {
			buf_putc(b, ' ');
			html_puts(b, unit);
		}
		buf_puts(b, "</title></rect>\n<text x=\"");
		svg_coord(b, x0 - 8.0);
		buf_puts(b, "\" y=\"");
		svg_coord(b, y + B_ROW / 2.0);
		buf_puts(b, "\" dy=\"0.32em\" text-anchor=\"end\" fill=\""
		    INK "\">");
		put_trunc(b, label, 22);
		buf_puts(b, "</text>\n<text x=\"");
		svg_coord(b, (double)BW - 8.0);
		buf_puts(b, "\" y=\"");
		svg_coord(b, y + B_ROW / 2.0);
		buf_puts(b, "\" dy=\"0.32em\" text-anchor=\"end\" "
		    "fill=\"" INK "\" font-variant-numeric=\"tabular-nums\">");
		put_trunc(b, text, 14);
		buf_puts(b, "</text>\n</g>\n");
	}
	buf_puts(b, "<line class=\"zero\" x1=\"");
	svg_coord(b, zero);
	buf_puts(b, "\" x2=\"");
	svg_coord(b, zero);
	buf_puts(b, "\" y1=\"36\" y2=\"");
	svg_coord(b, 44.0 + (double)n * B_ROW);
	buf_puts(b, "\" stroke=\"#444\" stroke-width=\"1\"/>\n");

done:
	buf_puts(b, "</svg>\n");
	buf_free(&desc);
	return (0);
}

/* A string member of o, or def. */
static const char *
jstr(const json_t *o, const char *key, const char *def)
{
	const json_t	*v;

	v = json_object_get(o, key);
	return (json_is_string(v) ? json_string_value(v) : def);
}

static void
jdoc_free(struct jdoc *d)
{
	free(d->years);
	free(d->values);
	free(d->num);
	buf_free(&d->title);
}

/*
 * One series: its label, and its observations from *at in the shared
 * arrays.  A JSON number value is written as its shortest decimal.
 */
static int
jseries(struct jdoc *d, const json_t *js, size_t i, size_t *at,
    struct buf *err)
{
	const json_t	*obs, *o, *year, *val;
	struct buf	 tmp;
	size_t		 k, n;
	json_int_t	 yr;

	if (!json_is_object(js) ||
	    !json_is_array(obs = json_object_get(js, "observations"))) {
		buf_printf(err, "series %zu has no observations array", i);
		return (-1);
	}
	d->s[i].label = jstr(json_object_get(js, "place"), "name",
	    jstr(json_object_get(js, "place"), "slug", ""));
	d->s[i].years = d->years + *at;
	d->s[i].values = d->values + *at;
	n = json_array_size(obs);
	d->s[i].n = n;
	buf_init(&tmp);
	for (k = 0; k < n; k++, (*at)++) {
		o = json_array_get(obs, k);
		year = json_object_get(o, "year");
		if (!json_is_integer(year) ||
		    (yr = json_integer_value(year)) < INT_MIN || yr > INT_MAX) {
			buf_printf(err, "series %zu, observation %zu: the year "
			    "is not a whole number", i, k);
			buf_free(&tmp);
			return (-1);
		}
		d->years[*at] = (int)yr;
		val = json_object_get(o, "value");
		if (json_is_string(val)) {
			d->values[*at] = json_string_value(val);
		} else if (json_is_number(val)) {
			buf_reset(&tmp);
			html_value_text(&tmp, val);
			(void)snprintf(d->num[*at], sizeof(d->num[*at]), "%s",
			    buf_cstr(&tmp));
			d->values[*at] = d->num[*at];
		}
	}
	buf_free(&tmp);
	return (0);
}

static int
jdoc_load(struct jdoc *d, const json_t *doc, size_t max, struct buf *err)
{
	const json_t	*list, *js, *var;
	size_t		 i, total, at;
	const char	*place;

	memset(d, 0, sizeof(*d));
	buf_init(&d->title);
	list = NULL;
	if (json_is_object(doc) && json_object_get(doc, "observations") != NULL)
		d->ns = 1;
	else if (json_is_object(doc) &&
	    json_is_array(list = json_object_get(doc, "series")))
		d->ns = json_array_size(list);
	else if (json_is_array(doc))
		d->ns = json_array_size(list = doc);
	else {
		buf_puts(err, "not a series, nor a list of series");
		return (-1);
	}
	if (d->ns > max && max > 1) {
		buf_printf(err, "%zu series, more than %zu on one chart",
		    d->ns, max);
		return (-1);
	}
	if (d->ns > max)
		d->ns = max;

	total = 0;
	for (i = 0; i < d->ns; i++) {
		js = list != NULL ? json_array_get(list, i) : doc;
		total += json_array_size(json_object_get(js, "observations"));
	}
	if ((d->years = calloc(total + 1, sizeof(*d->years))) == NULL ||
	    (d->values = calloc(total + 1, sizeof(*d->values))) == NULL ||
	    (d->num = calloc(total + 1, sizeof(*d->num))) == NULL)
		abort();
	at = 0;
	for (i = 0; i < d->ns; i++) {
		js = list != NULL ? json_array_get(list, i) : doc;
		if (jseries(d, js, i, &at, err) == -1)
			return (-1);
	}

	js = list != NULL ? json_array_get(list, 0) : doc;
	var = json_object_get(js, "variable");
	d->unit = jstr(doc, "unit", jstr(var, "unit", ""));
	if (json_is_string(json_object_get(doc, "title"))) {
		buf_puts(&d->title, jstr(doc, "title", ""));
	} else {
		buf_puts(&d->title, jstr(var, "name", jstr(var, "slug", "")));
		place = d->ns == 1 ? d->s[0].label : "";
		if (d->title.len > 0 && place[0] != '\0')
			buf_puts(&d->title, " in ");
		buf_puts(&d->title, place);
	}
	return (0);
}

int
svg_line_chart_json(struct buf *b, const json_t *doc, struct buf *err)
{
	struct jdoc	 d;
	int		 rc;

	rc = jdoc_load(&d, doc, SVG_MAX_SERIES, err);
	if (rc == 0)
		rc = svg_line_chart(b, d.s, d.ns, buf_cstr(&d.title), d.unit);
	jdoc_free(&d);
	return (rc);
}

int
svg_sparkline_json(struct buf *b, const json_t *doc, struct buf *err)
{
	struct jdoc		 d;
	struct svg_series	 none;
	int			 rc;

	rc = jdoc_load(&d, doc, 1, err);
	if (rc == 0) {
		memset(&none, 0, sizeof(none));
		rc = svg_sparkline(b, d.ns > 0 ? &d.s[0] : &none,
		    buf_cstr(&d.title), d.unit);
	}
	jdoc_free(&d);
	return (rc);
}

int
svg_bar_chart_json(struct buf *b, const json_t *doc, struct buf *err)
{
	const json_t	*list, *o, *val;
	struct svg_bar	*bars;
	const char	*errstr, *title, *unit;
	size_t		 i, n;
	int		 rc;

	title = unit = "";
	if (json_is_array(doc))
		list = doc;
	else if (json_is_object(doc) &&
	    json_is_array(list = json_object_get(doc, "bars"))) {
		title = jstr(doc, "title", "");
		unit = jstr(doc, "unit", "");
	} else {
		buf_puts(err, "not a list of bars");
		return (-1);
	}
	if ((n = json_array_size(list)) > SVG_MAX_BARS) {
		buf_printf(err, "%zu bars, more than %d", n, SVG_MAX_BARS);
		return (-1);
	}
	if ((bars = calloc(n + 1, sizeof(*bars))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		o = json_array_get(list, i);
		val = json_object_get(o, "value");
		bars[i].label = jstr(o, "label", "");
		if (!json_is_string(val) || money_parse(json_string_value(val),
		    json_string_length(val), &bars[i].value, &errstr) == -1) {
			buf_printf(err, "bar %zu: the value is not an amount "
			    "such as \"-52.00\"", i);
			free(bars);
			return (-1);
		}
		bars[i].text = json_string_value(val);
	}
	rc = svg_bar_chart(b, bars, n, title, unit);
	free(bars);
	return (rc);
}
