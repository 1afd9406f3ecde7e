/* Settings that make a method inert or a selection impossible in a run of a
 * given length: said at check time and recorded in the result file, since
 * such a run still completes and looks like a valid result. */
#include <stdio.h>

#include "train/train.h"

/* as train.c's sampler_create calls choose the sampler */
long
train_epoch_batches_of(const struct config_settings *s, long train_lines, long users,
	int user_batches)
{
	long b = s->batch_size;
	if (b <= 0)
		return 0;
	if (s->protocol == PROTOCOL_ADT) /* positives and negatives mixed */
		return (train_lines * (1 + s->neg_ratio) + b - 1) / b;
	if (user_batches) /* DeCA's CDAE loop: chunks of users */
		return (users + b - 1) / b;
	return (train_lines + b - 1) / b; /* deca: batches of positives */
}

long
train_epoch_batches(const config *cfg, long train_lines, long users, int user_batches)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	return train_epoch_batches_of(&s, train_lines, users, user_batches);
}

int
train_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	/* the method's own first (T-CE's ramp), then the protocol's */
	const struct method_ops *me = method_find(s.method);
	int n = me && me->warnings ? me->warnings(cfg, iterations, out, max) : 0;
	long freq = s.eval_freq;
	/* any rule but last needs evaluation points; eval_epochs makes them too */
	int best = s.keep_best;
	long per_epoch = s.eval_epochs;
	char why[80] = "";
	if (best)
		snprintf(why, sizeof why, ", so selection=%s tests the last parameters",
			config_get(cfg, "selection"));
	else if (s.early_stop)
		snprintf(why, sizeof why, ", so early stopping never acts");
	if (n < max && !per_epoch && freq > 0 && freq >= iterations)
		snprintf(out[n++], TRAIN_WARNING_LEN,
			"validation every %ld iterations (eval_freq) "
			"but the run has %ld: no validation point%s",
			freq, iterations, why);
	if (n < max && per_epoch > s.epochs)
		snprintf(out[n++], TRAIN_WARNING_LEN,
			"validation every %ld epochs (eval_epochs) but "
			"the run has %d: no epoch-end validation point%s",
			per_epoch, s.epochs,
			best && freq == 0 ? ", so the last parameters are tested" : "");
	if (n < max && freq == 0 && !per_epoch && best)
		snprintf(out[n++], TRAIN_WARNING_LEN,
			"validation is off (eval_freq 0) but "
			"selection=%s: the last parameters are tested",
			config_get(cfg, "selection"));
	if (n < max && s.selection == CONFIG_SELECT_ORACLE)
		snprintf(out[n++], TRAIN_WARNING_LEN,
			"selection=oracle: the tested parameters "
			"are those of the best test %s among the evaluation points, an upper bound "
			"(oracle), not a result",
			s.oracle_metric);
	return n;
}
