/* The machine's limits, measured on the spot so that the benchmark's ratios
 * hold on any machine: a STREAM-style triad (memory bandwidth), the engine's
 * dense Adam pass over the same amount of memory, and single-core sgemm.
 * Prints "limit <name> <value>" lines that bench/bench.sh reads.
 * usage: bench/limits [MIB]   (MIB: size of each triad array, default 256) */
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "config/settings.h"
#include "nn/adam.h"
#include "nn/blas.h"
#include "util/timer.h"

#define REPS 5

/* a = b + s c over n floats; best of REPS, bytes per second (12 B per element:
 * two reads and one write; write-allocate traffic is not counted, as STREAM) */
static double
triad(size_t n)
{
	float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
	if (!a || !b || !c)
		return 0;
	for (size_t i = 0; i < n; i++)
		a[i] = 0, b[i] = 1, c[i] = 2;
	double best = 1e30;
	for (int r = 0; r < REPS; r++) {
		double t = timer_now();
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] + 0.5f * c[i];
		t = timer_now() - t;
		best = t < best ? t : best;
	}
	volatile float sink = a[n / 2];
	(void)sink;
	free(a), free(b), free(c);
	return 12.0 * n / best;
}

/* adam_step over n parameters with L2 decay, as model_step calls it; best of
 * REPS, bytes per second at 32 B per parameter (param, grad, m, v read and
 * written) */
static double
adam_pass(size_t n)
{
	config c;
	config_init(&c);
	/* the default Adam hyper-parameters, as a run reads them */
	struct config_settings s;
	config_settings_parse(&s, &c);
	adam a;
	db_err e = {{0}};
	float *p = malloc(n * sizeof *p), *g = malloc(n * sizeof *g);
	if (!p || !g || adam_create(&a, n, &s.adam, &e))
		return 0;
	for (size_t i = 0; i < n; i++)
		p[i] = 0.01f, g[i] = 0;
	double best = 1e30;
	for (int r = 0; r < REPS; r++) {
		double t = timer_now();
		adam_step(&a, p, g, 1e-4f);
		t = timer_now() - t;
		best = t < best ? t : best;
	}
	adam_free(&a);
	free(p), free(g);
	config_free(&c);
	return 32.0 * n / best;
}

/* C = A B, n x n x n, single-threaded; best of REPS, FLOP per second */
static double
sgemm_rate(int n)
{
	size_t nn = (size_t)n * n;
	float *A = malloc(nn * sizeof *A), *B = malloc(nn * sizeof *B), *C = malloc(nn * sizeof *C);
	if (!A || !B || !C)
		return 0;
	for (size_t i = 0; i < nn; i++)
		A[i] = (float)(i % 7) * 0.1f, B[i] = (float)(i % 5) * 0.1f;
	blas_init();
	double best = 1e30;
	for (int r = 0; r < REPS; r++) {
		double t = timer_now();
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, A, n, B, n,
			0.0f, C, n);
		t = timer_now() - t;
		best = t < best ? t : best;
	}
	free(A), free(B), free(C);
	return 2.0 * n * n * (double)n / best;
}

int
main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	size_t n = mib * 1048576 / sizeof(float);
	printf("limit\ttriad_gbs\t%.2f\n", triad(n) / 1e9);
	/* Adam over the same bytes as the triad's three arrays */
	printf("limit\tadam_gbs\t%.2f\n", adam_pass(3 * n * 4 / 32) / 1e9);
	printf("limit\tsgemm_gflops\t%.2f\n", sgemm_rate(1024) / 1e9);
	return 0;
}
