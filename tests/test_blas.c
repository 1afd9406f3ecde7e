/* Pinning the OpenBLAS kernel (src/nn/blas.c): what each request asks of a
 * process, on CPUs described by feature masks, and the feature detection of
 * this CPU against /proc/cpuinfo.  tests/test_cli.sh runs the restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/blas.h"
#include "tap.h"

#define AVX2_MACHINE                                                                               \
	(BLAS_CPU_SSE3 | BLAS_CPU_SSE42 | BLAS_CPU_AVX | BLAS_CPU_AVX2 | BLAS_CPU_FMA)
#define AVX512_MACHINE (AVX2_MACHINE | BLAS_CPU_AVX512)
#define BF16_MACHINE (AVX512_MACHINE | BLAS_CPU_AVX512BF16)

/* one request: its plan, the kernel it restarts with (or NULL) and, for an
 * error, a word its message must hold */
static void
plan_after(const char *want, const char *running, unsigned cpu, const char *restarted, int plan,
	const char *name, const char *says)
{
	const char *got = "(unset)";
	char err[256] = "";
	int p = blas_pin_plan(want, running, cpu, restarted, &got, err, sizeof err);
	int name_ok = name ? got && !strcmp(got, name) : !got;
	tap_ok(p == plan && name_ok && (!says || strstr(err, says)),
		"%s running %s on cpu 0x%x: plan %d (want %d), kernel %s (want %s)%s%s", want,
		running ? running : "(none)", cpu, p, plan, got ? got : "(none)",
		name ? name : "(none)", says ? ", error: " : "", err);
}

static void
plan_is(const char *want, const char *running, unsigned cpu, int plan, const char *name,
	const char *says)
{
	plan_after(want, running, cpu, NULL, plan, name, says);
}

/* does /proc/cpuinfo's first flags line list FLAG?  -1 when unreadable */
static int
cpuinfo_has(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	int has = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "flags", 5)) {
			char pat[64];
			snprintf(pat, sizeof pat, " %s ", flag);
			line[strcspn(line, "\n")] = ' ';
			has = strstr(line, pat) != NULL;
			break;
		}
	if (f)
		fclose(f);
	return has;
}

int
main(void)
{
	/* portable: Haswell wherever it runs, whatever OpenBLAS chose */
	plan_is("portable", "SkylakeX", AVX512_MACHINE, BLAS_PIN_EXEC, "Haswell", NULL);
	plan_is("portable", "Cooperlake", BF16_MACHINE, BLAS_PIN_EXEC, "Haswell", NULL);
	plan_is("portable", "Zen", AVX2_MACHINE, BLAS_PIN_EXEC, "Haswell", NULL);
	plan_is("portable", "Haswell", AVX2_MACHINE, BLAS_PIN_NONE, NULL, NULL);
	/* ... and nowhere else: without FMA, or without AVX2, the CPU's own */
	plan_is("portable", "Sandybridge", AVX2_MACHINE & ~BLAS_CPU_FMA, BLAS_PIN_NONE, NULL, NULL);
	plan_is("portable", "Sandybridge", AVX2_MACHINE & ~BLAS_CPU_AVX2, BLAS_PIN_NONE, NULL, NULL);
	plan_is("portable", NULL, AVX512_MACHINE, BLAS_PIN_NONE, NULL, NULL);
	plan_is("native", "SkylakeX", AVX512_MACHINE, BLAS_PIN_NONE, NULL, NULL);
	plan_is("native", NULL, 0, BLAS_PIN_NONE, NULL, NULL);
	/* a name, in any case, restarts unless it runs already */
	plan_is("cooperlake", "SkylakeX", BF16_MACHINE, BLAS_PIN_EXEC, "Cooperlake", NULL);
	plan_is("SKYLAKEX", "SkylakeX", BF16_MACHINE, BLAS_PIN_NONE, NULL, NULL);
	plan_is("nehalem", "Haswell", AVX2_MACHINE, BLAS_PIN_EXEC, "Nehalem", NULL);
	/* a kernel the CPU lacks would die of SIGILL: refused */
	plan_is("Cooperlake", "SkylakeX", AVX512_MACHINE, BLAS_PIN_ERROR, NULL, "lacks");
	plan_is("SkylakeX", "Haswell", AVX2_MACHINE, BLAS_PIN_ERROR, NULL, "lacks");
	plan_is("Haswell", "Sandybridge", AVX2_MACHINE & ~BLAS_CPU_FMA, BLAS_PIN_ERROR, NULL, "lacks");
	/* unknown names list the known ones; a fixed BLAS has nothing to pin */
	plan_is("Sapphirerapids", "SkylakeX", BF16_MACHINE, BLAS_PIN_ERROR, NULL, "Haswell");
	plan_is("", "SkylakeX", BF16_MACHINE, BLAS_PIN_ERROR, NULL, "expected native, portable");
	plan_is("Haswell", NULL, AVX2_MACHINE, BLAS_PIN_ERROR, NULL, "no kernel to choose");
	/* restarted with a kernel that did not take (not in this OpenBLAS):
	 * an error, not another restart; restarted with another: restart */
	plan_after("Cooperlake", "SkylakeX", BF16_MACHINE, "Cooperlake", BLAS_PIN_ERROR, NULL,
		"not in this build");
	plan_after("portable", "SkylakeX", BF16_MACHINE, "Haswell", BLAS_PIN_ERROR, NULL,
		"yet OpenBLAS runs kernel SkylakeX");
	plan_after("nehalem", "Haswell", AVX2_MACHINE, "Haswell", BLAS_PIN_EXEC, "Nehalem", NULL);
	plan_after("haswell", "Haswell", AVX2_MACHINE, "Haswell", BLAS_PIN_NONE, NULL, NULL);

	/* this CPU's features as the kernel checks see them */
	static const struct {
		const char *flag;
		unsigned bit;
	} flags[] = {{"sse4_2", BLAS_CPU_SSE42}, {"avx", BLAS_CPU_AVX}, {"avx2", BLAS_CPU_AVX2},
		{"fma", BLAS_CPU_FMA}, {"avx512_bf16", BLAS_CPU_AVX512BF16}};
	unsigned cpu = blas_cpu_features();
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		int has = cpuinfo_has(flags[i].flag);
#if defined(__x86_64__)
		if (has < 0 || getenv("DB_VALGRIND"))
			/* valgrind's CPU lacks what the real one has */
			tap_skip("no /proc/cpuinfo flags, or under valgrind");
		else
			tap_ok(!!(cpu & flags[i].bit) == has, "feature %s: %d, /proc/cpuinfo %d",
				flags[i].flag, !!(cpu & flags[i].bit), has);
#else
		(void)has;
		tap_ok(cpu == 0, "no x86-64 features off x86-64");
#endif
	}
	return tap_done();
}
