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
	int flush; /* ftz=update or true: the step flushes float32 subnormals to 0 */
};

/* The ftz key: where float32 subnormals are flushed to zero (nn/fpenv.h). */
enum config_ftz {
	CONFIG_FTZ_OFF,    /* false: gradual underflow everywhere, as the reference code */
	CONFIG_FTZ_UPDATE, /* update: in the optimiser's parameter update only */
	CONFIG_FTZ_ALL,    /* true: the whole run */
	CONFIG_FTZ_COUNT
};

/* The selection key: the rule that picks the tested parameters among the
 * evaluation points (train/select.h). */
enum config_selection {
	CONFIG_SELECT_LAST,
	CONFIG_SELECT_BEST,    /* the lowest validation loss of the method's criterion */
	CONFIG_SELECT_REVISED, /* the lowest revised criterion (recsys25's ERM_RE) */
	CONFIG_SELECT_ORACLE,  /* the best test metric: an upper bound */
	CONFIG_SELECT_COUNT
};
/* The key's values, by rule. */
extern const char *const config_selection_names[CONFIG_SELECT_COUNT];
extern const char *const config_ftz_names[CONFIG_FTZ_COUNT];

struct config_settings {
	/* what is run; the strings point into the parsed config */
	const char *data, *dataset, *model, *method;
	enum config_protocol protocol;
	int recsys25; /* protocol=recsys25: the study's, run in deca's or adt's loop (protocol) */
	uint64_t seed;
	int factors;     /* the embedding size of every factor model */
	int output_prob; /* output=prob: sigmoid outputs (deca); 0: logits (adt) */
	/* optimisation and sampling */
	int epochs, batch_size;
	struct config_adam adam;
	double l2;
	int neg_ratio, neg_exclude_pos;
	/* model selection */
	long eval_freq;
	int early_stop, early_stop_rounds;
	enum config_selection selection;
	int keep_best;    /* any selection but last: parameters kept at evaluation points */
	long eval_epochs; /* validate at every eval_epochs-th epoch end too (0: never) */
	int valid_mean;   /* valid_reduce=mean: the mean, not the sum, over validation batches */
	int valid_noisy;  /* valid_split=noisy: <name>.valid.noisy is the validation split */
	double revised_drop;
	const char *oracle_metric;
	/* data and evaluation */
	int user_num, item_num;
	long max_id;
	int mask_valid;
	int eval_block, eval_noisy, eval_valid_rank, eval_rating_prob;
	int eval_test; /* 0: a tuning trial, the test split never read */
	int diag_test;
	long diag_freq;        /* iterations between diagnostics points; 0 auto, < 0 none */
	const char *cache_dir; /* "": the environment's cache directory */
	long dump_preds;
	enum config_ftz ftz;
	double noisy_below;
};

/* Fills s from the resolved cfg (whose values config_set has validated);
 * s's strings live as long as cfg. */
void config_settings_parse(struct config_settings *s, const config *cfg);

#endif
