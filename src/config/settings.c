#include "config/settings.h"

#include <string.h>

static void
parse_run(struct config_settings *s, const config *c)
{
	s->data = config_get(c, "data");
	s->dataset = config_get(c, "dataset");
	s->model = config_get(c, "model");
	s->method = config_get(c, "method");
	s->protocol = config_protocol(c);
	s->recsys25 = !strcmp(config_get(c, "protocol"), "recsys25");
	s->seed = (uint64_t)config_int(c, "seed");
	s->factors = (int)config_int(c, "factors");
	s->output_prob = !strcmp(config_get(c, "output"), "prob");
}

const char *const config_selection_names[CONFIG_SELECT_COUNT] = {"last", "best", "revised",
	"oracle"};
const char *const config_ftz_names[CONFIG_FTZ_COUNT] = {"false", "update", "true"};

/* The index of a choice key's value in its names table (the key's reader
 * has checked that it is one of them). */
static int
choice_index(const config *c, const char *key, const char *const *names, int n)
{
	const char *v = config_get(c, key);
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	return 0;
}

static void
parse_training(struct config_settings *s, const config *c)
{
	s->epochs = (int)config_int(c, "epochs");
	s->batch_size = (int)config_int(c, "batch_size");
	s->adam = (struct config_adam){config_double(c, "lr"), config_double(c, "adam_beta1"),
		config_double(c, "adam_beta2"), config_double(c, "adam_eps"), 0};
	s->ftz = (enum config_ftz)choice_index(c, "ftz", config_ftz_names, CONFIG_FTZ_COUNT);
	s->adam.flush = s->ftz != CONFIG_FTZ_OFF;
	s->l2 = config_double(c, "l2");
	s->neg_ratio = (int)config_int(c, "neg_ratio");
	s->neg_exclude_pos = config_bool(c, "neg_exclude_pos");
	s->eval_freq = config_int(c, "eval_freq");
	s->early_stop = config_bool(c, "early_stop");
	s->early_stop_rounds = (int)config_int(c, "early_stop_rounds");
	s->selection = (enum config_selection)choice_index(c, "selection", config_selection_names,
		CONFIG_SELECT_COUNT);
	s->keep_best = s->selection != CONFIG_SELECT_LAST;
	s->eval_epochs = config_int(c, "eval_epochs");
	s->valid_mean = !strcmp(config_get(c, "valid_reduce"), "mean");
	s->valid_noisy = !strcmp(config_get(c, "valid_split"), "noisy");
	s->revised_drop = config_double(c, "revised_drop");
	s->oracle_metric = config_get(c, "oracle_metric");
}

static void
parse_evaluation(struct config_settings *s, const config *c)
{
	s->user_num = (int)config_int(c, "user_num");
	s->item_num = (int)config_int(c, "item_num");
	s->max_id = config_int(c, "max_id");
	s->mask_valid = config_bool(c, "mask_valid");
	s->eval_block = (int)config_int(c, "eval_block");
	s->eval_noisy = config_bool(c, "eval_noisy");
	s->eval_valid_rank = config_bool(c, "eval_valid_rank");
	s->eval_rating_prob = config_bool(c, "eval_rating_prob");
	s->eval_test = config_bool(c, "eval_test");
	s->diag_test = config_bool(c, "diag_test");
	s->diag_freq = config_int(c, "diag_freq");
	s->cache_dir = config_get(c, "cache_dir");
	s->dump_preds = config_int(c, "dump_preds");
	s->noisy_below = config_double(c, "noisy_below");
}

void
config_settings_parse(struct config_settings *s, const config *cfg)
{
	memset(s, 0, sizeof *s);
	parse_run(s, cfg);
	parse_training(s, cfg);
	parse_evaluation(s, cfg);
}
