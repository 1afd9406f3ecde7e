#include "nn/blas.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config.h"

#ifdef DB_HAVE_OPENBLAS
void openblas_set_num_threads(int);
char *openblas_get_config(void);
char *openblas_get_corename(void);
#endif

void
blas_init(void)
{
#ifdef DB_HAVE_OPENBLAS
	static int done;
	if (!done)
		openblas_set_num_threads(1);
	done = 1;
#endif
}

/* OpenBLAS picks its kernels for the CPU when it loads (or as
 * OPENBLAS_CORETYPE says), and kernels sum in different orders: the same
 * build gives other bits on another CPU (README, "The BLAS kernel is part of
 * a result").  So the kernel goes with the build's BLAS into every result
 * file; a build for one CPU (no DYNAMIC_ARCH) runs its kernel everywhere,
 * and says so. */
const char *
blas_describe(void)
{
	static char buf[192];
	if (buf[0])
		return buf;
#ifdef DB_HAVE_OPENBLAS
	/* openblas_get_config(): "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." */
	const char *cfg = openblas_get_config(), *v = strchr(cfg, ' ');
	int vlen = v ? (int)strcspn(v + 1, " ") : 0;
	snprintf(buf, sizeof buf, "%s%s%.*s, kernel %s%s", DB_BLAS, vlen ? " " : "", vlen,
		vlen ? v + 1 : "", openblas_get_corename(),
		strstr(cfg, "DYNAMIC_ARCH") ? "" : " (fixed at build time)");
#else
	snprintf(buf, sizeof buf, "%s", DB_BLAS);
#endif
	return buf;
}

/* The kernels a run can be pinned to, by OPENBLAS_CORETYPE's names, with the
 * CPU features each one's code uses: OpenBLAS runs a forced kernel without
 * asking, and one the CPU lacks dies of SIGILL.  Zen runs Haswell's kernels
 * under another name. */
static const struct blas_kernel_row {
	const char *name;
	unsigned needs;
} blas_kernels[] = {
	{"Prescott", BLAS_CPU_SSE3},
	{"Nehalem", BLAS_CPU_SSE3 | BLAS_CPU_SSE42},
	{"Sandybridge", BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX},
	{"Haswell", BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX | BLAS_CPU_AVX2 | BLAS_CPU_FMA},
	{"Zen", BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX | BLAS_CPU_AVX2 | BLAS_CPU_FMA},
	{"SkylakeX",
		BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX | BLAS_CPU_AVX2 | BLAS_CPU_FMA |
			BLAS_CPU_AVX512},
	{"Cooperlake",
		BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX | BLAS_CPU_AVX2 | BLAS_CPU_FMA |
			BLAS_CPU_AVX512 | BLAS_CPU_AVX512BF16},
};
#define BLAS_PORTABLE "Haswell"

unsigned
blas_cpu_features(void)
{
	unsigned f = 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	f |= __builtin_cpu_supports("sse3") ? BLAS_CPU_SSE3 : 0;
	f |= __builtin_cpu_supports("sse4.2") ? BLAS_CPU_SSE42 : 0;
	f |= __builtin_cpu_supports("avx") ? BLAS_CPU_AVX : 0;
	f |= __builtin_cpu_supports("avx2") ? BLAS_CPU_AVX2 : 0;
	f |= __builtin_cpu_supports("fma") ? BLAS_CPU_FMA : 0;
	f |= __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
			     __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
			     __builtin_cpu_supports("avx512cd")
		     ? BLAS_CPU_AVX512
		     : 0;
	f |= __builtin_cpu_supports("avx512bf16") ? BLAS_CPU_AVX512BF16 : 0;
#endif
	return f;
}

const char *
blas_kernel(void)
{
#ifdef DB_HAVE_OPENBLAS
	if (strstr(openblas_get_config(), "DYNAMIC_ARCH"))
		return openblas_get_corename();
#endif
	return NULL;
}

static void
kernel_names(char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof blas_kernels / sizeof blas_kernels[0] && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, ", %s", blas_kernels[i].name);
}

/* The table's row of a kernel name, any case; NULL if it has none. */
static const struct blas_kernel_row *
kernel_find(const char *name)
{
	for (size_t i = 0; i < sizeof blas_kernels / sizeof blas_kernels[0]; i++)
		if (!strcasecmp(name, blas_kernels[i].name))
			return &blas_kernels[i];
	return NULL;
}

int
blas_pin_plan(const char *want, const char *running, unsigned cpu, const char *restarted,
	const char **name, char *err, size_t n)
{
	*name = NULL;
	if (!strcmp(want, "native") || (!running && !strcmp(want, "portable")))
		return BLAS_PIN_NONE;
	if (!running) {
		snprintf(err, n, "this BLAS (%s) has no kernel to choose at run time", DB_BLAS);
		return BLAS_PIN_ERROR;
	}
	int portable = !strcmp(want, "portable");
	const struct blas_kernel_row *k = kernel_find(portable ? BLAS_PORTABLE : want);
	if (!k) {
		char names[128];
		kernel_names(names, sizeof names);
		snprintf(err, n, "expected native, portable or a kernel name (%s)", names + 2);
		return BLAS_PIN_ERROR;
	}
	if (k->needs & ~cpu) {
		/* portable: machines without AVX2 and FMA keep their own
		 * kernel, which the result's blas line names */
		if (portable)
			return BLAS_PIN_NONE;
		snprintf(err, n, "this CPU lacks the instructions of kernel %s", k->name);
		return BLAS_PIN_ERROR;
	}
	if (!strcasecmp(running, k->name))
		return BLAS_PIN_NONE;
	if (restarted && !strcasecmp(restarted, k->name)) {
		snprintf(err, n,
			"OPENBLAS_CORETYPE=%s, yet OpenBLAS runs kernel %s (not in this build?)",
			k->name, running);
		return BLAS_PIN_ERROR;
	}
	*name = k->name;
	return BLAS_PIN_EXEC;
}
