/* 64-bit FNV-1a: identity of configurations, RNG stream derivation and data
 * checksums.  Not cryptographic; it only has to separate honest inputs. */
#ifndef DB_UTIL_HASH_H
#define DB_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_INIT UINT64_C(0xcbf29ce484222325)

uint64_t hash_fnv1a(uint64_t h, const void *data, size_t n);
uint64_t hash_str(uint64_t h, const char *s);
/* SplitMix64 finaliser: spreads a hash or counter over all 64 bits. */
uint64_t hash_mix(uint64_t x);

#endif
