/* Every setting the tool understands, with its default and meaning.
 * `denoisebench keys` prints this table; README.md explains the protocols. */
#include "config/config.h"
#include "methods/method.h"
#include "models/model.h"

const struct config_key config_keys[] = {
	/* what is run */
	{"data", CFG_STRING, "", NULL, CFG_NOHASH,
	 "dataset directory holding <name>.train.rating etc. (empty: built-in synthetic data)", NULL},
	{"dataset", CFG_STRING, "", NULL, 0,
	 "dataset name = file prefix; default: the data directory's base name", NULL},
	{"model", CFG_CHOICE, "gmf", NULL, 0,
	 "target model (mostpop, random, itemknn, ease: training-free baselines; oracle: the "
	 "protocol's upper bound)", model_names},
	{"method", CFG_CHOICE, "normal", NULL, 0, "training method", method_names},
	{"protocol", CFG_CHOICE, "deca", "deca|adt", 0,
	 "training/selection protocol of the DeCA or the ADT reference code", NULL},
	{"seed", CFG_INT, "1", NULL, 0, "seed of every random stream of the run", NULL},
	/* optimisation */
	{"epochs", CFG_INT, "20", NULL, 0, "training epochs", NULL},
	{"batch_size", CFG_INT, "2048", NULL, 0,
	 "deca: positives per batch (each with neg_ratio negatives); adt: samples per batch", NULL},
	{"lr", CFG_FLOAT, "0.001", NULL, 0, "Adam learning rate", NULL},
	{"adam_beta1", CFG_FLOAT, "0.9", NULL, 0, "Adam beta1", NULL},
	{"adam_beta2", CFG_FLOAT, "0.999", NULL, 0, "Adam beta2", NULL},
	{"adam_eps", CFG_FLOAT, "1e-8", NULL, 0, "Adam epsilon", NULL},
	{"l2", CFG_FLOAT, "0", NULL, 0,
	 "lambda0: adds l2 * 1/2 * sum ||theta||^2 / user_num over the whole target model", NULL},
	/* sampling */
	{"neg_ratio", CFG_INT, "1", NULL, 0, "sampled negatives per positive (NSR)", NULL},
	{"neg_exclude_pos", CFG_BOOL, "false", NULL, 0,
	 "reject negatives that are train positives (adt: always; deca code: never)", NULL},
	/* model selection */
	{"eval_freq", CFG_INT, "500", NULL, 0, "iterations between validation losses", NULL},
	{"early_stop", CFG_BOOL, "false", NULL, 0,
	 "stop at the early_stop_rounds-th cumulative increase of the validation loss", NULL},
	{"early_stop_rounds", CFG_INT, "2", NULL, 0, "increases of the validation loss that stop", NULL},
	{"selection", CFG_CHOICE, "last", "last|best", 0,
	 "model tested: the last one (deca) or the lowest validation loss (adt)", NULL},
	/* models */
	{"output", CFG_CHOICE, "prob", "prob|logit", 0,
	 "prob: sigmoid output, BCE on probabilities, ranking by float32 probability (deca); "
	 "logit: BCE with logits, ranking by logit (adt)", NULL},
	{"factors", CFG_INT, "32", NULL, 0, "embedding size of MF/GMF (MLP embeddings: factors*2^(mlp_layers-1))", NULL},
	{"mlp_layers", CFG_INT, "3", NULL, 0, "NeuMF MLP layers", NULL},
	/* data and evaluation */
	{"user_num", CFG_INT, "0", NULL, 0, "user table size (0: max train user id + 1)", NULL},
	{"item_num", CFG_INT, "0", NULL, 0, "item table size (0: max train item id + 1)", NULL},
	{"ks", CFG_INTLIST, "3,5,10,20", NULL, 0, "cut-offs K of the metrics", NULL},
	{"mask_valid", CFG_BOOL, "true", NULL, 0,
	 "mask validation items at test time as the reference code does (train items always)", NULL},
	{"eval_block", CFG_INT, "256", NULL, CFG_NOHASH, "users scored per block at evaluation", NULL},
	{"rce_beta", CFG_FLOAT, "0.1", NULL, 0, "R-CE weight exponent beta (method r-ce)", NULL},
	{"drop_rate", CFG_FLOAT, "0.2", NULL, 0, "T-CE maximum drop rate eps_max (method t-ce)", NULL},
	{"num_gradual", CFG_INT, "30000", NULL, 0,
	 "T-CE iterations of the drop-rate ramp (0: eps_max from the start)", NULL},
	{"drop_exponent", CFG_FLOAT, "1", NULL, 0, "T-CE ramp exponent on eps_max", NULL},
	{"noisy_below", CFG_FLOAT, "4", NULL, 0,
	 "T-CE drop statistics: a dropped positive rated below this is noisy", NULL},
	{"gcn_layers", CFG_INT, "3", NULL, 0,
	 "LightGCN propagation layers L (final embedding: mean of layers 0..L)", NULL},
	{"knn_k", CFG_INT, "100", NULL, 0, "ItemKNN: neighbours kept per item", NULL},
	{"knn_shrink", CFG_FLOAT, "0", NULL, 0,
	 "ItemKNN: shrinkage added to the cosine denominator sqrt|U_i| sqrt|U_j|", NULL},
	{"ease_lambda", CFG_FLOAT, "500", NULL, 0,
	 "EASE^R: L2 weight lambda of the item-item matrix", NULL},
};

const int config_nkeys = (int)(sizeof config_keys / sizeof config_keys[0]);

/* Values outside these ranges cannot describe a run. */
const struct config_range config_ranges[] = {
	{"seed", 0, 4294967295.0},
	{"epochs", 0, 1e6},
	{"batch_size", 1, 1e8},
	{"lr", 0, 10},
	{"adam_beta1", 0, 0.999999},
	{"adam_beta2", 0, 0.999999999},
	{"adam_eps", 0, 1},
	{"l2", 0, 1e9},
	{"neg_ratio", 0, 1000},
	{"eval_freq", 0, 1e12},
	{"early_stop_rounds", 1, 1e6},
	{"factors", 1, 4096},
	{"mlp_layers", 1, 8},
	{"user_num", 0, 2147483647.0},
	{"item_num", 0, 2147483647.0},
	{"eval_block", 1, 65536},
	{"rce_beta", 0, 100},
	{"drop_rate", 0, 0.99},
	{"num_gradual", 0, 1e12},
	{"drop_exponent", 0, 100},
	{"gcn_layers", 0, 16},
	{"knn_k", 1, 2147483647.0},
	{"knn_shrink", 0, 1e12},
	{"ease_lambda", 0, 1e15},
};
const int config_nranges = (int)(sizeof config_ranges / sizeof config_ranges[0]);
