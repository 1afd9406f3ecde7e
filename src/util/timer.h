#ifndef DB_UTIL_TIMER_H
#define DB_UTIL_TIMER_H
/* Wall-clock seconds from a monotonic clock. */
double timer_now(void);
/* Peak resident set size of this process in KiB (0 if unknown). */
long timer_peak_rss_kib(void);
/* Peak resident set size of the largest child process waited for (the
 * evaluation's workers) in KiB (0: none). */
long timer_children_peak_rss_kib(void);
#endif
