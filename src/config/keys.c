/* The settings every run has, with their defaults, ranges and meanings; a
 * method's or a model's own settings are declared in its file.
 * `denoisebench keys` prints them all; README.md explains the protocols. */
#include "config/config.h"
#include "util/mxcsr.h"

/* ftz's default: the flush in the update pass where the CPU can flush.  It
 * left every cell of the DeCA Table 2 grid as it was (README, Subnormals), so
 * the default's cells keep the names they had when it was `false`. */
#ifdef DB_HAVE_MXCSR
#define FTZ_DEFAULT "update"
#else
#define FTZ_DEFAULT "update"
#endif

const struct config_key config_core_keys[] = {
	/* what is run */
	{"data", CFG_STRING, "", NULL, CFG_NOHASH,
		"dataset directory holding <name>.train.rating etc. (empty: built-in synthetic "
		"data)",
		NULL},
	{"dataset", CFG_STRING, "", NULL, 0,
		"dataset name = file prefix; default: the data directory's base name", NULL},
	{"model", CFG_CHOICE, "gmf", NULL, CFG_REGISTRY,
		"target model (mostpop, random, itemknn, ease: training-free baselines; oracle: "
		"the "
		"protocol's upper bound)",
		NULL},
	{"method", CFG_CHOICE, "normal", NULL, CFG_REGISTRY,
		"training method (dpi, dvae: the extended paper's names of deca, deca-p)", NULL},
	{"protocol", CFG_CHOICE, "deca", "deca|adt|recsys25", 0,
		"training/selection protocol of the DeCA or the ADT reference code, or of the "
		"RecSys'25 "
		"re-evaluation (EvalDenoisingRec: DeCA's loop for deca/deca-p, ADT's for the "
		"others)",
		NULL},
	{"seed", CFG_INT, "1", NULL, 0, "seed of every random stream of the run",
		CFG_RANGE(0, 4294967295.0)},
	/* an imported run (denoisebench import): present only in its result file */
	{"external", CFG_CHOICE, "", "topk|scores|scores-f32", CFG_IFSET,
		"set by `denoisebench import` only: the ranking came from outside, read from this "
		"input "
		"format; method names the outside method",
		NULL},
	{"external_settings", CFG_STRING, "", NULL, CFG_IFSET,
		"set by `denoisebench import` only: the producer's own settings (provenance, part "
		"of the "
		"cell identity)",
		NULL},
	{"external_input", CFG_STRING, "", NULL, CFG_IFSET | CFG_NOHASH,
		"set by `denoisebench import` only: the imported file", NULL},
	/* optimisation */
	{"epochs", CFG_INT, "20", NULL, 0, "training epochs", CFG_RANGE(0, 1e6)},
	{"batch_size", CFG_INT, "2048", NULL, 0,
		"deca: positives per batch (each with neg_ratio negatives; cdae: users per chunk); "
		"adt: "
		"samples per batch",
		CFG_RANGE(1, 1e8)},
	{"lr", CFG_FLOAT, "0.001", NULL, 0, "Adam learning rate", CFG_RANGE(0, 10)},
	{"adam_beta1", CFG_FLOAT, "0.9", NULL, 0, "Adam beta1", CFG_RANGE(0, 0.999999)},
	{"adam_beta2", CFG_FLOAT, "0.999", NULL, 0, "Adam beta2", CFG_RANGE(0, 0.999999999)},
	{"adam_eps", CFG_FLOAT, "1e-8", NULL, 0, "Adam epsilon", CFG_RANGE(0, 1)},
	{"l2", CFG_FLOAT, "0", NULL, 0,
		"lambda0: adds l2 * 1/2 * sum ||theta||^2 / user_num over the whole target model "
		"(cdae: l2 * sum over tensors of ||theta||_F, not squared)",
		CFG_RANGE(0, 1e9)},
	/* sampling */
	{"neg_ratio", CFG_INT, "1", NULL, 0, "sampled negatives per positive (NSR)",
		CFG_RANGE(0, 1000)},
	{"neg_exclude_pos", CFG_BOOL, "false", NULL, 0,
		"reject negatives that are train positives (adt: always; deca code: never)", NULL},
	/* model selection */
	{"eval_freq", CFG_INT, "500", NULL, 0, "iterations between validation losses",
		CFG_RANGE(0, 1e12)},
	{"early_stop", CFG_BOOL, "false", NULL, 0,
		"stop at the early_stop_rounds-th cumulative increase of the validation loss",
		NULL},
	{"early_stop_rounds", CFG_INT, "2", NULL, 0, "increases of the validation loss that stop",
		CFG_RANGE(1, 1e6)},
	{"selection", CFG_CHOICE, "last", "last|best|revised|oracle", 0,
		"model tested: the last one (deca), the lowest validation loss of the method's own "
		"criterion (adt, recsys25), the lowest revised criterion (recsys25's ERM_RE, see "
		"revised_drop) or the best test metric (oracle_metric: an upper bound, never a "
		"result)",
		NULL},
	/* models */
	{"output", CFG_CHOICE, "prob", "prob|logit", 0,
		"prob: sigmoid output, BCE on probabilities, ranking by float32 probability "
		"(deca); "
		"logit: BCE with logits, ranking by logit (adt)",
		NULL},
	{"factors", CFG_INT, "32", NULL, 0,
		"embedding size of MF/GMF (MLP embeddings: factors*2^(mlp_layers-1))",
		CFG_RANGE(1, 4096)},
	/* data and evaluation */
	{"user_num", CFG_INT, "0", NULL, 0, "user table size (0: max train user id + 1)",
		CFG_RANGE(0, 2147483647.0)},
	{"item_num", CFG_INT, "0", NULL, 0, "item table size (0: max train item id + 1)",
		CFG_RANGE(0, 2147483647.0)},
	{"max_id", CFG_INT, "50000000", NULL, CFG_NOHASH,
		"largest train id accepted while user_num/item_num are 0 (tables hold max id + 1 "
		"rows; "
		"a stray id near 2^31 would allocate gigabytes)",
		CFG_RANGE(1, 2147483646.0)},
	{"ks", CFG_INTLIST, "3,5,10,20", NULL, 0, "cut-offs K of the metrics", NULL},
	{"mask_valid", CFG_BOOL, "true", NULL, 0,
		"mask validation items at test time as the reference code does (train items "
		"always)",
		NULL},
	{"eval_block", CFG_INT, "256", NULL, CFG_NOHASH, "users scored per block at evaluation",
		CFG_RANGE(1, 65536)},
	/* passes after training beyond the clean test (a suite whose tables need
	 * only the clean test switches them off) */
	{"eval_noisy", CFG_BOOL, "true", NULL, CFG_HASH_SET,
		"rank the noisy test split (<name>.test.noisy, when present): result split "
		"test_noisy",
		NULL},
	{"eval_test", CFG_BOOL, "true", NULL, CFG_HASH_SET,
		"rank the test split (false: a tuning trial, which never opens <name>.test.*; no "
		"result split test)",
		NULL},
	{"eval_valid_rank", CFG_BOOL, "true", NULL, CFG_HASH_SET,
		"rank the validation lines among all but the train items: result split valid",
		NULL},
	{"eval_rating_prob", CFG_BOOL, "true", NULL, CFG_HASH_SET,
		"mean P(r=1|interacted) of the trained model over the train lines by rating: "
		"result "
		"lines rating_prob (DeCA Fig. 4)",
		NULL},
	/* diagnostics: what a result file records beside the protocol's own
	 * lines, never what is trained, selected or measured (not hashed) */
	{"diag_freq", CFG_INT, "0", NULL, CFG_NOHASH,
		"iterations between diagnostics points (result lines diag, diag_stat, diag_test): "
		"the "
		"training BCE of clean and noisy positives and the method's counters since the "
		"previous "
		"point; 0: about 50 points per training phase; -1: none",
		CFG_RANGE(-1, 1e12)},
	{"diag_test", CFG_BOOL, "false", NULL, CFG_NOHASH,
		"rank the test split at every diagnostics point too (Recall and NDCG at ks along "
		"training, DeCA Fig. 3); costs one test evaluation per point",
		NULL},
	{"dump_preds", CFG_INT, "0", NULL, CFG_NOHASH,
		"record the trained model's P(r=1) of N clean and N noisy train lines (result "
		"lines "
		"pred; DeCA Fig. 2), the same lines for every cell of a dataset",
		CFG_RANGE(0, 1e7)},
	{"ftz", CFG_CHOICE, FTZ_DEFAULT, "false|update|true", CFG_HASH_SET,
		"flush float32 subnormals to zero (x86 MXCSR FTZ+DAZ): update: in the optimiser's "
		"parameter update only, where cold rows decay into them (forward, loss and "
		"evaluation keep gradual underflow); true: the whole run; false: nowhere, the "
		"reference's arithmetic",
		NULL},
	{"noisy_below", CFG_FLOAT, "4", NULL, 0,
		"a training positive rated below this is noisy (clean/noisy training loss, T-CE "
		"drop "
		"statistics); 1 on the ADT datasets' 0/1 flags",
		NULL},
	{"cache_dir", CFG_STRING, "", NULL, CFG_NOHASH,
		"cache of pre-trained models (empty: $DENOISEBENCH_CACHE, else "
		"$XDG_CACHE_HOME/denoisebench, else $HOME/.cache/denoisebench)",
		NULL},
	/* the RecSys'25 re-evaluation (EvalDenoisingRec; README "Protocols") and the
	 * oracle selection; hashed only when set, so earlier cells keep their names */
	{"eval_epochs", CFG_INT, "0", NULL, CFG_HASH_SET,
		"validate at the end of every N-th epoch (0: every eval_freq iterations only; "
		"recsys25: "
		"the epochs its code tests at, the only rows its selection sees)",
		CFG_RANGE(0, 1e6)},
	{"valid_reduce", CFG_CHOICE, "sum", "sum|mean", CFG_HASH_SET,
		"validation loss over the validation batches: the sum of the batch criteria (deca, "
		"adt) "
		"or their mean (recsys25: eval_loss / len(valid_loader))",
		NULL},
	{"valid_split", CFG_CHOICE, "rating", "rating|noisy", CFG_HASH_SET,
		"validation file <name>.valid.rating or <name>.valid.noisy (recsys25 on ml-100k: "
		"its "
		"ml100k.valid.rating is DeCA's ml-100k.valid.noisy, byte for byte)",
		NULL},
	{"revised_drop", CFG_FLOAT, "0.2", NULL, CFG_HASH_SET,
		"selection=revised: share of the validation positives with the largest plain BCE "
		"left "
		"out; criterion = mean plain BCE over the kept positives and every negative",
		CFG_RANGE(0, 0.99)},
	{"oracle_metric", CFG_STRING, "ndcg@20", NULL, CFG_HASH_SET,
		"selection=oracle: the test metric (recall@K or ndcg@K, K among ks) whose best "
		"value "
		"over the evaluation points picks the tested parameters",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* The listing order of `denoisebench keys` and `check --resolved` from
 * mlp_layers on, as it was when every key was declared in this file: the
 * keys that methods and models now declare in their own files keep their
 * places among the core keys, so that no listing moves.  A key named
 * nowhere (a new method's) is listed after these, by name; do not add it. */
const char *const config_key_tail[] = {
	"mlp_layers",
	"user_num",
	"item_num",
	"max_id",
	"ks",
	"mask_valid",
	"eval_block",
	"eval_noisy",
	"eval_valid_rank",
	"eval_rating_prob",
	"diag_freq",
	"diag_test",
	"dump_preds",
	"ftz",
	"rce_beta",
	"drop_rate",
	"num_gradual",
	"drop_exponent",
	"noisy_below",
	"clean_threshold",
	"wbpr_gamma",
	"wbpr_loss",
	"ensemble_combine",
	"extra_share",
	"extra_epochs",
	"extra_base",
	"collide_n",
	"collide_lambda",
	"collide_threshold",
	"nmtr_weight",
	"nr_skip_weight",
	"cdae_hidden",
	"cdae_corruption",
	"cdae_stream",
	"cdae_mask",
	"cdae_eval_corruption",
	"cdae_valid",
	"gcn_layers",
	"knn_k",
	"knn_shrink",
	"ease_lambda",
	"deca_c1",
	"deca_c2",
	"deca_alpha",
	"deca_iterative",
	"deca_schedule",
	"deca_terms",
	"deca_h_model",
	"deca_dim",
	"deca_pretrain_cache",
	"cache_dir",
	NULL,
};
