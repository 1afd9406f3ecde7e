/* DeCA's per-sample loss and its DP/DN schedule, as the reference codes
 * them (protocol.md §4.6.2-§4.6.4; DeCA train.py:15-16, 141-150, 382-416,
 * 445-447).  With lg(x) = ln(x + 1e-5) (no clamp) and the Bernoulli KL
 *   KLb(p, q) = p lg p - p lg q + (1-p) lg(1-p) - (1-p) lg(1-q),
 * the agreement term A = alpha KLb(g, f) + (1 - alpha) KLb(f, g), and
 *   DP   pos: A - (1-f) lg h1                neg: A - [(1-f) lg(1-h1) - C1 f]
 *   DN   pos: A - [f lg h2 - C2 (1-f)]       neg: A - f lg(1-h2)
 *   both pos = neg: A - [(1-f) lg(1-h1) + f lg(1-h2)]
 * The "both" positive term is the reference's bug (§4.6.3: it is the
 * negative likelihood); it is kept because the reference runs it at
 * iteration 0 and, with iterative = false, at every iteration. */
#include <math.h>
#include <string.h>

#include "methods/deca.h"

#define DECA_EPS 1e-5

static double
lg(double x)
{
	return log(x + DECA_EPS);
}

/* KLb(p, q) and its derivatives by p (*dp) and q (*dq), from the logs
 * lp = lg p, lq = lg q, lp1 = lg(1-p), lq1 = lg(1-q): A takes KLb both
 * ways round, so each log is taken once for both */
static double
klb(double p, double q, double lp, double lq, double lp1, double lq1, double *dp, double *dq)
{
	*dp = lp + p / (p + DECA_EPS) - lq - lp1 - (1 - p) / (1 - p + DECA_EPS) + lq1;
	*dq = -p / (q + DECA_EPS) + (1 - p) / (1 - q + DECA_EPS);
	return p * lp - p * lq + (1 - p) * lp1 - (1 - p) * lq1;
}

/* A and its derivatives w.r.t. f and g */
static void
agreement(double alpha, double f, double g, struct deca_grad *o)
{
	double lf = lg(f), lgg = lg(g), lf1 = lg(1 - f), lg1 = lg(1 - g);
	double gf_dg, gf_df, fg_df, fg_dg;
	double kl_gf = klb(g, f, lgg, lf, lg1, lf1, &gf_dg, &gf_df),
	       kl_fg = klb(f, g, lf, lgg, lf1, lg1, &fg_df, &fg_dg);
	o->loss = alpha * kl_gf + (1 - alpha) * kl_fg;
	o->df = alpha * gf_df + (1 - alpha) * fg_df;
	o->dg = alpha * gf_dg + (1 - alpha) * fg_dg;
}

/* the likelihood part T, added to o */
static void
likelihood(const struct deca_coef *c, enum deca_step t, const struct deca_sample *s,
	struct deca_grad *o)
{
	double f = s->f, h1 = s->h1, h2 = s->h2;
	if (t == DECA_BOTH) {
		o->loss -= (1 - f) * lg(1 - h1) + f * lg(1 - h2);
		o->df += lg(1 - h1) - lg(1 - h2);
		o->dh1 += (1 - f) / (1 - h1 + DECA_EPS);
		o->dh2 += f / (1 - h2 + DECA_EPS);
	} else if (t == DECA_DP && s->positive) {
		o->loss -= (1 - f) * lg(h1);
		o->df += lg(h1);
		o->dh1 -= (1 - f) / (h1 + DECA_EPS);
	} else if (t == DECA_DP) {
		o->loss -= (1 - f) * lg(1 - h1) - c->c1 * f;
		o->df += lg(1 - h1) + c->c1;
		o->dh1 += (1 - f) / (1 - h1 + DECA_EPS);
	} else if (s->positive) {
		o->loss -= f * lg(h2) - c->c2 * (1 - f);
		o->df -= lg(h2) + c->c2;
		o->dh2 -= f / (h2 + DECA_EPS);
	} else {
		o->loss -= f * lg(1 - h2);
		o->df -= lg(1 - h2);
		o->dh2 += f / (1 - h2 + DECA_EPS);
	}
}

void
deca_term(const struct deca_coef *c, enum deca_step t, const struct deca_sample *s,
	struct deca_grad *out)
{
	memset(out, 0, sizeof *out);
	agreement(c->alpha, s->f, s->g, out);
	likelihood(c, t, s, out);
}

void
deca_schedule_read(struct deca_schedule *s, const config *cfg)
{
	const char *terms = config_get(cfg, "deca_terms");
	s->paper = strcmp(config_get(cfg, "deca_schedule"), "paper") == 0;
	s->iterative = config_bool(cfg, "deca_iterative");
	s->terms = !strcmp(terms, "dp") ? DECA_DP : !strcmp(terms, "dn") ? DECA_DN : DECA_BOTH;
}

/* reference (§4.6.4): denoise_type starts as 'both' and, when iterative,
 * toggles after every iteration to DN if it was DP, else DP: both, DP, DN,
 * DP, ... (the toggle is global across epochs, like `count`).  paper
 * (Algorithm 1): DP when count % 2 == 0, else DN.  Not iterative: the first
 * type forever.  The Table 3 ablations fix the type (the reference's
 * --denoise_type DP/DN with iterative off). */
enum deca_step
deca_step_at(const struct deca_schedule *s, long count)
{
	if (s->terms != DECA_BOTH)
		return (enum deca_step)s->terms;
	if (!s->iterative)
		count = 0;
	if (s->paper)
		return count % 2 == 0 ? DECA_DP : DECA_DN;
	if (count == 0)
		return DECA_BOTH;
	return count % 2 == 1 ? DECA_DP : DECA_DN;
}

int
deca_uses_h1(enum deca_step t)
{
	return t != DECA_DN;
}

int
deca_uses_h2(enum deca_step t)
{
	return t != DECA_DP;
}
