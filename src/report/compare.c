/* Paired comparison of two cell groups on one metric, and Holm over a family. */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

/* Values of both groups at the seeds they share, ascending seed. */
struct pairing {
	size_t n;
	char only[160]; /* seeds of one side only */
	const struct report_cell **ca, **cb;
	double *va, *vb;
};

static void
pairing_free(struct pairing *p)
{
	free(p->ca);
	free(p->cb);
	free(p->va);
	free(p->vb);
}

/* "seeds only in BASE: 3 4; only in NEW: 5" into p->only, truncated. */
static void
note_seed(struct pairing *p, const char *side, long seed)
{
	size_t len = strlen(p->only);
	int first = !strstr(p->only, side);
	snprintf(p->only + len, sizeof p->only - len, "%s%s%s%s %ld", first && len ? "; " : "",
		first ? "only in " : "", first ? side : "", first ? ":" : "", seed);
}

static int
pair_seeds(const struct report_set *sa, const struct report_group *a, const struct report_set *sb,
	const struct report_group *b, const char *split, const char *metric, int k,
	struct pairing *p, db_err *err)
{
	size_t m = a->n < b->n ? a->n : b->n;
	p->ca = db_calloc(m + 1, sizeof *p->ca, err);
	p->cb = db_calloc(m + 1, sizeof *p->cb, err);
	p->va = db_calloc(m + 1, sizeof *p->va, err);
	p->vb = db_calloc(m + 1, sizeof *p->vb, err);
	if (!p->ca || !p->cb || !p->va || !p->vb)
		return DB_ENOMEM;
	for (size_t i = 0, j = 0; i < a->n || j < b->n;) { /* both ascend by seed */
		const struct report_cell *x = i < a->n ? report_group_cell(sa, a, i) : NULL;
		const struct report_cell *y = j < b->n ? report_group_cell(sb, b, j) : NULL;
		if (!x || !y || x->seed != y->seed) {
			int base_only = x && (!y || x->seed < y->seed);
			note_seed(p, base_only ? "BASE" : "NEW", base_only ? x->seed : y->seed);
			base_only ? i++ : j++;
			continue;
		}
		p->ca[p->n] = x;
		p->cb[p->n] = y;
		p->va[p->n] = report_cell_metric(x, split, metric, k);
		p->vb[p->n] = report_cell_metric(y, split, metric, k);
		if (isnan(p->va[p->n]) || isnan(p->vb[p->n]))
			return db_fail(err, DB_EINVAL, "%s: no %s %s@%d",
				isnan(p->va[p->n]) ? x->path : y->path, split, metric, k);
		p->n++, i++, j++;
	}
	return DB_OK;
}

/* Each user's value averaged over the paired seeds, for users every paired
 * cell of both groups evaluated; Wilcoxon over those pairs. */
static int
users_test(const struct pairing *p, const char *split, const char *metric, int k,
	struct report_cmp *out, db_err *err)
{
	int maxu = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct report_series *s = report_cell_series(p->ca[i], split, metric, k);
		for (size_t u = 0; s && u < s->n; u++)
			maxu = s->user[u] > maxu ? s->user[u] : maxu;
	}
	size_t nu = (size_t)(maxu + 1);
	double *sum = db_calloc(2 * nu + 1, sizeof *sum, err);
	int *cnt = db_calloc(2 * nu + 1, sizeof *cnt, err);
	double *x = db_calloc(2 * nu + 1, sizeof *x, err);
	int rc = sum && cnt && x ? DB_OK : DB_ENOMEM;
	for (size_t i = 0; !rc && i < 2 * p->n; i++) {
		const struct report_cell *c = i < p->n ? p->ca[i] : p->cb[i - p->n];
		const struct report_series *s = report_cell_series(c, split, metric, k);
		for (size_t u = 0; s && u < s->n; u++)
			if (s->user[u] >= 0 && s->user[u] <= maxu) {
				size_t slot = (i < p->n ? 0 : nu) + (size_t)s->user[u];
				sum[slot] += s->value[u];
				cnt[slot]++;
			}
	}
	size_t n = 0;
	for (size_t u = 0; !rc && u < nu; u++)
		if (cnt[u] == (int)p->n && cnt[nu + u] == (int)p->n && p->n) {
			x[n] = sum[nu + u] / (double)p->n;
			x[nu + n++] = sum[u] / (double)p->n;
		}
	out->nusers = n;
	struct stats_test t;
	db_err ignored;
	if (!rc && n > 0 && stats_wilcoxon_signed_rank(x, x + nu, n, &t, &ignored) == DB_OK) {
		out->p_w = t.p_value;
		out->effect_w = t.effect;
	} else if (!rc)
		out->note = n ? "Wilcoxon undefined: every user has the same value in both"
			      : "no per-user values to pair";
	free(sum);
	free(cnt);
	free(x);
	return rc;
}

static void
seeds_test(const struct pairing *p, struct report_cmp *out)
{
	db_err ignored;
	struct stats_summary sa, sb;
	if (p->n == 0 || stats_summary(p->va, p->n, 0.95, &sa, &ignored) ||
		stats_summary(p->vb, p->n, 0.95, &sb, &ignored)) {
		out->note = "no seed in common";
		return;
	}
	out->mean_a = sa.mean;
	out->mean_b = sb.mean;
	out->diff = sb.mean - sa.mean;
	struct stats_test t;
	if (p->n < 2) {
		out->note = "one seed: no t test";
		return;
	}
	int rc = stats_paired_t(p->vb, p->va, p->n, 0.95, &t, &ignored);
	if (rc) {
		out->note = "t undefined: the same difference at every seed";
		return;
	}
	out->p_t = t.p_value;
	out->diff_lo = t.ci_lo;
	out->diff_hi = t.ci_hi;
}

int
report_cmp_pair(const struct report_set *sa, const struct report_group *a,
	const struct report_set *sb, const struct report_group *b, const char *split,
	const char *metric, int k, struct report_cmp *out, db_err *err)
{
	*out = (struct report_cmp){.a = a,
		.b = b,
		.mean_a = NAN,
		.mean_b = NAN,
		.diff = NAN,
		.diff_lo = NAN,
		.diff_hi = NAN,
		.p_t = 1,
		.p_w = 1,
		.adj_t = 1,
		.adj_w = 1};
	struct pairing p = {0};
	int rc = pair_seeds(sa, a, sb, b, split, metric, k, &p, err);
	out->nseeds = p.n;
	snprintf(out->only, sizeof out->only, "%s", p.only);
	if (!rc) {
		seeds_test(&p, out);
		const char *note = out->note;
		rc = users_test(&p, split, metric, k, out, err);
		if (note)
			out->note = note;
	}
	pairing_free(&p);
	return rc;
}

int
report_cmp_holm(struct report_cmp *c, size_t n, db_err *err)
{
	if (n == 0)
		return DB_OK;
	double *p = db_calloc(2 * n, sizeof *p, err);
	if (!p)
		return DB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p[2 * i] = c[i].p_t;
		p[2 * i + 1] = c[i].p_w;
	}
	int rc = stats_holm(p, 2 * n, p, err);
	for (size_t i = 0; !rc && i < n; i++) {
		c[i].adj_t = p[2 * i];
		c[i].adj_w = p[2 * i + 1];
	}
	free(p);
	return rc;
}

/* Significant when either test rejects after Holm; the direction is that
 * of the test that rejects: the mean difference over seeds for the t test,
 * the rank-biserial effect over users when only Wilcoxon rejects (the seed
 * mean can point the other way while most users moved). */
int
report_cmp_verdict(const struct report_cmp *c, double alpha)
{
	double dir = c->adj_t < alpha ? c->diff : c->adj_w < alpha ? c->effect_w : 0;
	if (!(dir != 0) || isnan(dir))
		return 0;
	return dir > 0 ? 1 : -1;
}

/* Is the key of line (up to '=') in list? */
static int
key_in(const char *line, const char *const *list, size_t n)
{
	size_t klen = strcspn(line, "=");
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == klen && !strncmp(line, list[i], klen))
			return 1;
	return 0;
}

/* The group key that pairs: only the settings of how->by when given, else
 * all but how->ignore (to be freed). */
static char *
reduced_key(const struct report_cell *c, const struct report_pairing *how)
{
	char *key = strdup(c->group_key);
	char *out = key;
	for (char *line = key, *nl; key && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		size_t len = (size_t)(nl - line) + 1;
		int keep = how->nby ? key_in(line, how->by, how->nby)
				    : !key_in(line, how->ignore, how->nignore);
		if (keep) {
			memmove(out, line, len);
			out += len;
		}
	}
	if (key)
		*out = 0;
	return key;
}

static char **
reduced_keys(const struct report_set *s, const struct report_pairing *how, db_err *err)
{
	char **keys = db_calloc(s->ngroups + 1, sizeof *keys, err);
	for (size_t i = 0; keys && i < s->ngroups; i++)
		if (!(keys[i] = reduced_key(report_group_cell(s, &s->groups[i], 0), how))) {
			while (i)
				free(keys[--i]);
			free(keys);
			keys = NULL;
			db_fail(err, DB_ENOMEM, "out of memory");
		}
	return keys;
}

static void
keys_free(char **keys, size_t n)
{
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
}

/* The value of key (a "k=" prefix, klen long) in a group key, or NULL. */
static const char *
key_value(const char *gk, const char *k, size_t klen, size_t *vlen)
{
	for (const char *line = gk; *line; line = strchr(line, '\n') + 1)
		if (!strncmp(line, k, klen)) {
			*vlen = strcspn(line + klen, "\n");
			return line + klen;
		}
	return NULL;
}

/* Counts the settings in which group keys a (BASE) and b (NEW) differ;
 * writes them as "key (BASE a, NEW b)" to f when f is not NULL. */
static size_t
key_diff(const char *a, const char *b, FILE *f)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (const char *line = pass ? b : a; *line; line = strchr(line, '\n') + 1) {
			size_t klen = strcspn(line, "=") + 1, va, vb;
			const char *x = key_value(a, line, klen, &va),
				   *y = key_value(b, line, klen, &vb);
			if ((pass && x) || (x && y && va == vb && !strncmp(x, y, va)))
				continue;
			if (f)
				fprintf(f, "%s%.*s (BASE %.*s, NEW %.*s)", n ? ", " : "",
					(int)klen - 1, line, x ? (int)va : 1, x ? x : "-",
					y ? (int)vb : 1, y ? y : "-");
			n++;
		}
	return n;
}

/* One line per group of `side` (keys k, n of them) without a partner in the
 * other side (keys o, no of them): its name and what differs from the
 * nearest group there. */
static void
describe_unpaired(FILE *f, const struct report_set *s, char **k, size_t n, const char *used,
	char **o, size_t no, const char *side, const char *other)
{
	for (size_t i = 0; i < n; i++) {
		if (used[i])
			continue;
		const struct report_cell *c = report_group_cell(s, &s->groups[i], 0);
		fprintf(f, "%s group %s/%s/%s has no partner in %s", side, c->dataset, c->model,
			c->method, other);
		size_t best = no, nd = (size_t)-1;
		for (size_t j = 0; j < no; j++) {
			size_t d = key_diff(o[j], k[i], NULL);
			if (d < nd)
				best = j, nd = d;
		}
		if (best < no) {
			fprintf(f, "; the nearest %s group differs in ", other);
			key_diff(*side == 'N' ? o[best] : k[i], *side == 'N' ? k[i] : o[best], f);
		}
		fputc('\n', f);
	}
}

/* NEW groups j whose key another NEW group shares (pairing would be ambiguous). */
static int
check_unique(char **k, size_t n, const char *side, const struct report_set *s, db_err *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(k[i], k[j])) {
				const struct report_cell *a =
					report_group_cell(s, &s->groups[i], 0);
				const struct report_cell *b =
					report_group_cell(s, &s->groups[j], 0);
				return db_fail(err, DB_EINVAL,
					"%s: groups %s/%s/%s and %s/%s/%s have the "
					"same pairing settings: give more with --pair-by",
					side, a->dataset, a->model, a->method, b->dataset, b->model,
					b->method);
			}
	return DB_OK;
}

static int
pair_all(const struct report_set *sa, const struct report_set *sb, char **ka, char **kb, char *ua,
	char *ub, const char *split, const char *metric, int k, struct report_cmp *cmp, size_t *n,
	db_err *err)
{
	int rc = DB_OK;
	for (size_t j = 0; !rc && j < sb->ngroups; j++) {
		size_t i = 0;
		while (i < sa->ngroups && (ua[i] || strcmp(ka[i], kb[j])))
			i++;
		if (i == sa->ngroups)
			continue;
		ua[i] = ub[j] = 1;
		rc = report_cmp_pair(sa, &sa->groups[i], sb, &sb->groups[j], split, metric, k,
			&cmp[(*n)++], err);
	}
	return rc;
}

int
report_cmp_sets(const struct report_set *sa, const struct report_set *sb,
	const struct report_pairing *how, const char *split, const char *metric, int k,
	struct report_cmp **cmp, size_t *n, char **unpaired, size_t *unmatched, db_err *err)
{
	*n = 0;
	*unmatched = 0;
	*unpaired = NULL;
	char **ka = reduced_keys(sa, how, err);
	char **kb = ka ? reduced_keys(sb, how, err) : NULL;
	char *ua = db_calloc(sa->ngroups + 1, 1, err), *ub = db_calloc(sb->ngroups + 1, 1, err);
	*cmp = db_calloc(sb->ngroups + 1, sizeof **cmp, err);
	int rc = ka && kb && ua && ub && *cmp ? DB_OK : DB_ENOMEM;
	if (!rc && how->nby && !(rc = check_unique(ka, sa->ngroups, "BASE", sa, err)))
		rc = check_unique(kb, sb->ngroups, "NEW", sb, err);
	if (!rc)
		rc = pair_all(sa, sb, ka, kb, ua, ub, split, metric, k, *cmp, n, err);
	if (!rc)
		rc = report_cmp_holm(*cmp, *n, err);
	size_t len;
	FILE *f = rc ? NULL : open_memstream(unpaired, &len);
	if (f) {
		describe_unpaired(f, sb, kb, sb->ngroups, ub, ka, sa->ngroups, "NEW", "BASE");
		describe_unpaired(f, sa, ka, sa->ngroups, ua, kb, sb->ngroups, "BASE", "NEW");
		rc = fclose(f) ? db_fail(err, DB_ENOMEM, "out of memory") : DB_OK;
		*unmatched = sa->ngroups + sb->ngroups - 2 * *n;
	} else if (!rc)
		rc = db_fail(err, DB_ENOMEM, "out of memory");
	keys_free(ka, sa->ngroups);
	keys_free(kb, sb->ngroups);
	free(ua);
	free(ub);
	if (rc) {
		free(*cmp);
		free(*unpaired);
		*cmp = NULL;
		*unpaired = NULL;
		*n = 0;
	}
	return rc;
}
