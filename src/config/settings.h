/* The resolved configuration as typed fields.
 *
 * config_resolve fills a config of strings (what result files record and
 * hash); config_settings_parse turns it, once, into the values the loop,
 * the evaluation and the methods read, so that no setting is looked up by
 * name on the training path.  Only the keys every run has are here; a
 * method or model parses its own keys into its own state in create.  The
 * K list (ks) stays with the evaluation, which owns its length.
 */
#ifndef DB_CONFIG_SETTINGS_H
#define DB_CONFIG_SETTINGS_H

#include <stdint.h>

#include "config/config.h"

/* Adam's hyper-parameters (lr, adam_beta1, adam_beta2, adam_eps). */
struct config_adam {
	double lr, beta1, beta2, eps;
};

struct config_settings {
	/* what is run; the strings point into the parsed config */
	const char *data, *dataset, *model, *method;
	enum config_protocol protocol;
	uint64_t seed;
	int output_prob; /* output=prob: sigmoid outputs (deca); 0: logits (adt) */
	/* optimisation and sampling */
	int epochs, batch_size;
	struct config_adam adam;
	double l2;
	int neg_ratio, neg_exclude_pos;
	/* model selection */
	long eval_freq;
	int early_stop, early_stop_rounds;
	int select_best; /* selection=best */
	/* data and evaluation */
	int user_num, item_num;
	long max_id;
	int mask_valid;
	int eval_block, eval_noisy, eval_valid_rank, eval_rating_prob;
	int diag_test;
	long dump_preds;
	int ftz;
	double noisy_below;
};

/* Fills s from the resolved cfg (whose values config_set has validated);
 * s's strings live as long as cfg. */
void config_settings_parse(struct config_settings *s, const config *cfg);

#endif
