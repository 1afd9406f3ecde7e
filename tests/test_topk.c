/* Tests of the fast paths of the top-K (eval/topk.c, eval/topk_prob.c)
 * against brute force: the floor of long rows, topk_kth, and the ranking by
 * probability with a sigmoid for a few items only, on rows made to break
 * them (saturated sigmoids, ties, NaN, infinities, masks with repeated ids,
 * fewer unmasked numbers than k), and the premise of the latter: the
 * float32 sigmoid is monotone over every float that can change it. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "rig.h"
#include "tap.h"

static unsigned rng_state = 2463;

static unsigned
next_rand(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

enum { SHAPE_TIED, SHAPE_RISING, SHAPE_FALLING, SHAPE_SPECIAL, SHAPE_SATURATED, SHAPES };

/* Row i of a shape: few distinct values, values growing or falling with the
 * index (the heap's worst and best orders), NaN and infinities sprinkled
 * in, or logits whose sigmoid is 1.0f for many items. */
static float
shape_value(int shape, int i, int n)
{
	unsigned r = next_rand();
	switch (shape) {
	case SHAPE_TIED:
		return (float)(r % 5);
	case SHAPE_RISING:
		return (float)i / (float)n + (float)(r % 3) * 0.25f;
	case SHAPE_FALLING:
		return -(float)i / (float)n;
	case SHAPE_SPECIAL:
		return r % 11 == 0    ? NAN
			: r % 13 == 0 ? INFINITY
			: r % 17 == 0 ? -INFINITY
				      : (float)(r % 64) / 8.0f - 4.0f;
	default: /* above ~16.6 the float32 sigmoid is 1.0f */
		return r % 3 ? 14.0f + (float)(r % 400) / 50.0f : (float)(r % 100) / 10.0f - 5.0f;
	}
}

/* topk_select and topk_kth against brute force on rows long enough for the
 * floor (n >= 16 k), and short ones. */
static void
test_long_rows(void)
{
	enum { NMAX = 20000 };
	static float s[NMAX];
	static int got[NMAX], want[NMAX];
	static char used[NMAX];
	const int ns[] = {7, 300, 1682, 20000}, ks[] = {1, 3, 20, 100, 1000};
	int cases = 0, bad = 0, bad_kth = 0;
	for (int a = 0; a < 4; a++)
		for (int shape = 0; shape < SHAPES; shape++)
			for (int b = 0; b < 5; b++) {
				int n = ns[a], k = ks[b] < n ? ks[b] : n;
				if (n == NMAX && k > 100)
					continue; /* brute force is n k */
				for (int i = 0; i < n; i++)
					s[i] = shape_value(shape, i, n);
				topk_select(s, n, k, got);
				rig_topk_naive(s, n, k, want, used);
				bad += memcmp(got, want, k * sizeof *got) != 0;
				bad_kth += topk_kth(s, n, k, got) != want[k - 1];
				cases++;
			}
	tap_ok(bad == 0,
		"topk_select equals brute force on %d rows of 7 to 20000 (floor used "
		"from 16 k on): %d differ",
		cases, bad);
	tap_ok(bad_kth == 0, "topk_kth is brute force's k-th on the same rows: %d differ", bad_kth);
}

/* The floor is a floor: at least k numbers at or above it, and it is used. */
static void
test_floor(void)
{
	enum { N = 1682 };
	float s[N];
	int scratch[20], bad = 0, used = 0;
	for (int shape = 0; shape < SHAPES; shape++) {
		for (int i = 0; i < N; i++)
			s[i] = shape_value(shape, i, N);
		float f = topk_floor(s, N, 20, scratch);
		int above = 0;
		for (int i = 0; i < N; i++)
			above += s[i] >= f;
		bad += f != -INFINITY && above < 20;
		used += f != -INFINITY;
	}
	tap_ok(bad == 0 && used == SHAPES,
		"topk_floor of 1682 scores, k = 20: %d of %d rows with a "
		"floor, %d with fewer than k scores above it",
		used, SHAPES, bad);
}

/* The full path of eval/evaluate.c: every sigmoid, -9999 added per mask
 * entry, then topk_select. */
static void
reference_prob(const float *z, int n, const int *mask, int nm, int k, int *out, float *row)
{
	for (int i = 0; i < n; i++)
		row[i] = eval_sigmoid(z[i]);
	for (int p = 0; p < nm; p++)
		row[mask[p]] += -9999.0f;
	topk_select(row, n, k, out);
}

static void
test_prob(void)
{
	enum { NMAX = 3000 };
	static float z[NMAX], z0[NMAX], row[NMAX], cand_p[NMAX];
	static int mask[NMAX], got[NMAX], want[NMAX], cand_i[NMAX];
	const int ns[] = {5, 40, 1682, 3000}, ks[] = {1, 3, 20, 100};
	int cases = 0, bad = 0, fallback = 0, fallback_bad = 0, saturated_ties = 0;
	for (int a = 0; a < 4; a++)
		for (int shape = 0; shape < SHAPES; shape++)
			for (int b = 0; b < 4; b++)
				for (int masking = 0; masking < 3; masking++) {
					int n = ns[a], k = ks[b] < n ? ks[b] : n, nm = 0;
					for (int i = 0; i < n; i++)
						z0[i] = z[i] = shape_value(shape, i, n);
					/* none; a third of the items, some twice; all but k - 1 */
					for (int i = 0; masking == 1 && i < n; i++)
						if (next_rand() % 3 == 0) {
							mask[nm++] = i;
							if (next_rand() % 4 == 0)
								mask[nm++] = i;
						}
					for (int i = 0; masking == 2 && i < n - (k - 1); i++)
						mask[nm++] = i;
					reference_prob(z0, n, mask, nm, k, want, row);
					for (int j = 0; j < k; j++)
						saturated_ties += j > 0 && row[want[j]] == 1.0f &&
							row[want[j - 1]] == 1.0f;
					if (!topk_select_prob(z, n, mask, nm, k, got, cand_p,
						    cand_i)) {
						fallback++;
						fallback_bad += memcmp(z, z0, n * sizeof *z) != 0;
						continue;
					}
					bad += memcmp(got, want, k * sizeof *got) != 0;
					cases++;
				}
	tap_ok(bad == 0,
		"ranking by probability with few sigmoids equals the full row's ranking "
		"on %d rows (%d ties at p = 1.0f among them): %d differ",
		cases, saturated_ties, bad);
	tap_ok(saturated_ties > 100, "premise: the rows tie at the saturated sigmoid (%d ties)",
		saturated_ties);
	tap_ok(fallback > 0 && fallback_bad == 0,
		"fewer unmasked numbers than k: %d rows handed back, %d of them altered", fallback,
		fallback_bad);
}

/* The float with these bits. */
static float
bits_float(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* Every float32 from -128 to 32, in order (below -88.8 and above 17.4 the
 * sigmoid is constantly 0 and 1, checked at the ends): no step down.  The
 * negative floats rise as their bits fall to -0, the positive ones as their
 * bits grow.  About 2.2e9 sigmoids, seconds; one float in 4096 under
 * DB_TEST_LIGHT (valgrind). */
static void
test_sigmoid_monotone(void)
{
	uint32_t stride = getenv("DB_TEST_LIGHT") ? 4096 : 1, lo, hi;
	float from = -128.0f, to = 32.0f;
	memcpy(&lo, &from, sizeof lo);
	memcpy(&hi, &to, sizeof hi);
	long down = 0;
	float prev = eval_sigmoid(from);
	for (uint32_t u = lo; u >= 0x80000000u + stride; u -= stride) {
		float p = eval_sigmoid(bits_float(u - stride));
		down += p < prev;
		prev = p;
	}
	for (uint32_t u = 0; u <= hi; u += stride) {
		float p = eval_sigmoid(bits_float(u));
		down += p < prev;
		prev = p;
	}
	tap_ok(down == 0 && eval_sigmoid(-128.0f) == 0.0f && eval_sigmoid(-INFINITY) == 0.0f &&
			eval_sigmoid(32.0f) == 1.0f && eval_sigmoid(INFINITY) == 1.0f,
		"float32 sigmoid monotone on [-128, 32] (every %u-th float): %ld steps down; 0 "
		"below, 1 above",
		(unsigned)stride, down);
}

int
main(void)
{
	test_long_rows();
	test_floor();
	test_prob();
	test_sigmoid_monotone();
	return tap_done();
}
