/*
 * SVG charts drawn by the server: no JavaScript, embeddable inline or
 * served alone.  Every chart has role="img", a <title> and a <desc>, CSS
 * classes for the page's stylesheet, and presentation attributes so that
 * the file looks right on its own.
 *
 * Values arrive as exact decimal text.  They become doubles only to find
 * pixel coordinates; every number a reader sees is the original text.
 */

#ifndef FW_SVG_H
#define FW_SVG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct buf;

#define SVG_MAX_SERIES	10	/* lines on one chart: the palette's size */
#define SVG_MAX_BARS	1000

/* One place's observations of a variable. */
struct svg_series {
	const char		*label;		/* place name */
	size_t			 n;
	const int		*years;
	const char *const	*values;	/* decimal text, shown as is */
};

/* One bar: a referendum voter's net value, say. */
struct svg_bar {
	const char	*label;
	int64_t		 value;		/* minor units: sets the length */
	const char	*text;		/* the value as shown ("-52.00") */
};

/* Axis labels by Heckbert's nice numbers (Graphics Gems, 1990). */
struct svg_axis {
	double	 min;		/* first tick */
	double	 max;		/* last tick */
	double	 step;		/* 1, 2 or 5 times a power of ten */
	size_t	 nticks;
	int	 nfrac;		/* fraction digits the labels need */
};

/*
 * A line chart, 640x320 user units, width 100%: years on x (integer
 * ticks), values on y, one <circle> per observation with a "Place, YEAR:
 * VALUE UNIT" tooltip, a legend when there are several series.  Values
 * that are not decimals (or NULL, or of a magnitude outside 1e-150..1e150)
 * are not drawn; observations need not be sorted.
 *
 * A gap in the years breaks the line: consecutive observations more than
 * 1.5 times the series' median gap apart are not joined (five-yearly data
 * missing 1990 breaks between 1985 and 1995; annual data missing a year
 * breaks; census years 1950, 1960, 1971, 1981 do not).
 *
 * The y axis includes zero when the data have one sign and zero is no
 * further from them than their own spread (life expectancy 28-82 starts
 * at 0; 95-100 does not).  A darker zero line is drawn when the axis
 * goes below zero and reaches it.  No observation at all draws "No data".
 *
 * Returns 0, or -1 (nothing written) for more than SVG_MAX_SERIES series.
 */
int	svg_line_chart(struct buf *, const struct svg_series *, size_t nseries,
	    const char *title, const char *unit);

/* A 100x24 sparkline of one series, no axes, the last point marked. */
int	svg_sparkline(struct buf *, const struct svg_series *,
	    const char *title, const char *unit);

/*
 * Horizontal bars of signed values about a zero line, positive and
 * negative in two colours, label left and text right of each row.
 * Returns 0, or -1 (nothing written) for more than SVG_MAX_BARS bars.
 */
int	svg_bar_chart(struct buf *, const struct svg_bar *, size_t nbars,
	    const char *title, const char *unit);

/*
 * The same from JSON, for the template filters.  A series is the API's
 * {place:{slug,name},variable:{slug,name,unit},observations:[{year,value}]}
 * (value a decimal string; a JSON number is taken as its shortest decimal);
 * a line chart also takes {title?,unit?,series:[...]} or an array of
 * series, the sparkline draws the first.  Bars are [{label,value}] or
 * {title?,unit?,bars:[...]} with money text values ("-52.00").  Return 0,
 * or -1 with a message in err for a document of another shape.
 */
int	svg_line_chart_json(struct buf *, const json_t *, struct buf *err);
int	svg_sparkline_json(struct buf *, const json_t *, struct buf *err);
int	svg_bar_chart_json(struct buf *, const json_t *, struct buf *err);

/*
 * Ticks covering [lo, hi] with about want of them: the "loose" labelling,
 * first and last tick at or beyond the data.  lo == hi is widened.
 */
void	svg_nice_axis(double lo, double hi, int want, struct svg_axis *);

/* The nice number near x > 0: rounded, or the next at or above it. */
double	svg_nice_num(double x, int round);
/* x as "%.1f" prints it, but 0.0 for anything that would show as -0.0. */
void	svg_coord(struct buf *, double x);

#endif
