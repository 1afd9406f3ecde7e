/* The vector width of the hand-vectorised loops (LightGCN's sparse
 * products, Adam's pass).  Each is compiled at the default build's width
 * and, on x86-64 builds for the baseline CPU, also at AVX2's and
 * AVX-512's (function-level target attributes), then picked at run time.
 * Every width gives the same bits: the loops do element-wise multiplies,
 * adds, divisions and square roots, all correctly rounded, with no
 * reduction across lanes and no contracted multiply-add (configure adds
 * -ffp-contract=off: clang, unlike GCC in ISO C mode, contracts by
 * default). */
#ifndef DB_UTIL_SIMD_H
#define DB_UTIL_SIMD_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
#define DB_SIMD_WIDE     1
#define DB_TARGET_AVX2   __attribute__((target("avx2")))
#define DB_TARGET_AVX512 __attribute__((target("avx512f")))
#endif

/* The flag can be overridden by a user's CFLAGS (-ffast-math); clang also
 * honours the standard pragma (GCC ignores it, with a warning, and is off
 * in ISO C mode anyway). */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

enum simd_width { SIMD_BASELINE, SIMD_AVX2, SIMD_AVX512 };

/* Calls fn_avx512, fn_avx2 or fn_baseline(...) for width w: the variants a
 * file defines of one loop (fn_baseline alone where DB_SIMD_WIDE is not
 * defined).  An expression of fn's type; w may be evaluated twice. */
#ifdef DB_SIMD_WIDE
/* clang-format off */
#define SIMD_CALL(w, fn, ...)                                                                      \
	((w) == SIMD_AVX512 ? fn##_avx512(__VA_ARGS__) :                                           \
	 (w) == SIMD_AVX2 ? fn##_avx2(__VA_ARGS__) : fn##_baseline(__VA_ARGS__))
/* clang-format on */
#else
#define SIMD_CALL(w, fn, ...) ((void)(w), fn##_baseline(__VA_ARGS__))
#endif

/* The widest this CPU runs, capped by DENOISEBENCH_SIMD=baseline or avx2
 * in the environment (tests compare the widths); read at each call. */
enum simd_width simd_width(void);

#endif
