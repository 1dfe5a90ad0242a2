/*
 * The template filters of factwiki's pages, beyond the language's own
 * (core/tmpl.h): count, s, chart, sparkline and bars (see the table in
 * pagefilter.c).  The server gives them to its templates.
 */

#ifndef FW_PAGEFILTER_H
#define FW_PAGEFILTER_H

#include "core/tmpl.h"

extern const struct tmpl_filter	page_filters[];

#endif
