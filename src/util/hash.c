#include "util/hash.h"

#include <string.h>

uint64_t
hash_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

uint64_t
hash_str(uint64_t h, const char *s)
{
	/* include the terminator so ("ab","c") and ("a","bc") differ */
	return hash_fnv1a(h, s, strlen(s) + 1);
}

uint64_t
hash_mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}
