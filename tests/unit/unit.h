/*
 * What every unit test includes: cmocka needs these before its header.
 */

#ifndef FW_UNIT_H
#define FW_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
