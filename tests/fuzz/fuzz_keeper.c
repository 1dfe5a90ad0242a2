/*
 * keeper_answer(): whatever a worker sends its key keeper, the answer is
 * KEEPER_BAD with nothing in it unless it was a whole request, carries
 * the request's id, and never holds the key.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/keeper.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keeper	 k;
	static int		 ready;
	struct keeper_resp	 resp;
	struct keeper_req	 req;
	unsigned char		 zero[sizeof(resp.out)];
	size_t			 i;

	if (!ready) {
		unsigned char	 master[SEAL_MASTERBYTES];

		if (sodium_init() == -1)
			abort();
		memset(master, 0x5a, sizeof(master));
		keeper_local(&k, master);
		ready = 1;
	}
	memset(zero, 0, sizeof(zero));
	keeper_answer(&k, data, size, &resp);
	if (size != sizeof(req)) {
		if (resp.status != KEEPER_BAD || resp.id != 0 ||
		    memcmp(resp.out, zero, sizeof(zero)) != 0)
			abort();
		return (0);
	}
	memcpy(&req, data, sizeof(req));
	if (resp.id != req.id || resp.status > KEEPER_UNUSABLE)
		abort();
	if (resp.status != KEEPER_OK &&
	    memcmp(resp.out, zero, sizeof(zero)) != 0)
		abort();
	for (i = 0; i + SEAL_MASTERBYTES <= sizeof(resp.out); i++)
		if (memcmp(resp.out + i, k.master, SEAL_MASTERBYTES) == 0)
			abort();
	return (0);
}
