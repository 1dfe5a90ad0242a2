# Writes PLACES x VARIABLES x YEARS facts in the import format, values with
# a varying number of fraction digits, one source.  Deterministic.
BEGIN {
	print "place,variable,year,value,unit,source,source_title"
	n = 0
	for (p = 1; p <= PLACES; p++)
		for (v = 1; v <= VARIABLES; v++)
			for (y = 0; y < YEARS; y++) {
				n++
				x = (n * 7919) % 1000003
				printf "Place %d,variable-%d,%d,%d.%0" (n % 4) + 1 "d," \
				    "units of %d,https://example.org/bench,Bench\n", \
				    p, v, 1990 + y, x, n % 10000, v
			}
}
