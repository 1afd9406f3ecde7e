#include "util/simd.h"

#include <stdlib.h>
#include <string.h>

enum simd_width
simd_width(void)
{
#ifdef DB_SIMD_WIDE
	const char *v = getenv("DENOISEBENCH_SIMD");
	if (v && !strcmp(v, "baseline"))
		return SIMD_BASELINE;
	if (!(v && !strcmp(v, "avx2")) && __builtin_cpu_supports("avx512f"))
		return SIMD_AVX512;
	return __builtin_cpu_supports("avx2") ? SIMD_AVX2 : SIMD_BASELINE;
#else
	return SIMD_BASELINE;
#endif
}
