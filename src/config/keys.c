/* Every setting the tool understands, with its default and meaning.
 * `denoisebench keys` prints this table; README.md explains the protocols. */
#include "config/config.h"

const struct config_key config_keys[] = {
	/* what is run */
	{"data", CFG_STRING, "", NULL, CFG_NOHASH,
	 "dataset directory holding <name>.train.rating etc. (empty: built-in synthetic data)", NULL},
	{"dataset", CFG_STRING, "", NULL, 0,
	 "dataset name = file prefix; default: the data directory's base name", NULL},
	{"model", CFG_CHOICE, "gmf", NULL, CFG_REGISTRY,
	 "target model (mostpop, random, itemknn, ease: training-free baselines; oracle: the "
	 "protocol's upper bound)", NULL},
	{"method", CFG_CHOICE, "normal", NULL, CFG_REGISTRY,
	 "training method (dpi, dvae: the extended paper's names of deca, deca-p)", NULL},
	{"protocol", CFG_CHOICE, "deca", "deca|adt", 0,
	 "training/selection protocol of the DeCA or the ADT reference code", NULL},
	{"seed", CFG_INT, "1", NULL, 0, "seed of every random stream of the run", NULL},
	/* an imported run (denoisebench import): present only in its result file */
	{"external", CFG_CHOICE, "", "topk|scores|scores-f32", CFG_IFSET,
	 "set by `denoisebench import` only: the ranking came from outside, read from this input "
	 "format; method names the outside method", NULL},
	{"external_settings", CFG_STRING, "", NULL, CFG_IFSET,
	 "set by `denoisebench import` only: the producer's own settings (provenance, part of the "
	 "cell identity)", NULL},
	{"external_input", CFG_STRING, "", NULL, CFG_IFSET | CFG_NOHASH,
	 "set by `denoisebench import` only: the imported file", NULL},
	/* optimisation */
	{"epochs", CFG_INT, "20", NULL, 0, "training epochs", NULL},
	{"batch_size", CFG_INT, "2048", NULL, 0,
	 "deca: positives per batch (each with neg_ratio negatives; cdae: users per chunk); adt: "
	 "samples per batch", NULL},
	{"lr", CFG_FLOAT, "0.001", NULL, 0, "Adam learning rate", NULL},
	{"adam_beta1", CFG_FLOAT, "0.9", NULL, 0, "Adam beta1", NULL},
	{"adam_beta2", CFG_FLOAT, "0.999", NULL, 0, "Adam beta2", NULL},
	{"adam_eps", CFG_FLOAT, "1e-8", NULL, 0, "Adam epsilon", NULL},
	{"l2", CFG_FLOAT, "0", NULL, 0,
	 "lambda0: adds l2 * 1/2 * sum ||theta||^2 / user_num over the whole target model "
	 "(cdae: l2 * sum over tensors of ||theta||_F, not squared)", NULL},
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
	{"max_id", CFG_INT, "50000000", NULL, CFG_NOHASH,
	 "largest train id accepted while user_num/item_num are 0 (tables hold max id + 1 rows; "
	 "a stray id near 2^31 would allocate gigabytes)", NULL},
	{"ks", CFG_INTLIST, "3,5,10,20", NULL, 0, "cut-offs K of the metrics", NULL},
	{"mask_valid", CFG_BOOL, "true", NULL, 0,
	 "mask validation items at test time as the reference code does (train items always)", NULL},
	{"eval_block", CFG_INT, "256", NULL, CFG_NOHASH, "users scored per block at evaluation", NULL},
	/* passes after training beyond the clean test (a suite whose tables need
	 * only the clean test switches them off) */
	{"eval_noisy", CFG_BOOL, "true", NULL, CFG_HASH_SET,
	 "rank the noisy test split (<name>.test.noisy, when present): result split test_noisy",
	 NULL},
	{"eval_valid_rank", CFG_BOOL, "true", NULL, CFG_HASH_SET,
	 "rank the validation lines among all but the train items: result split valid", NULL},
	{"eval_rating_prob", CFG_BOOL, "true", NULL, CFG_HASH_SET,
	 "mean P(r=1|interacted) of the trained model over the train lines by rating: result "
	 "lines rating_prob (DeCA Fig. 4)", NULL},
	/* diagnostics: what a result file records beside the protocol's own
	 * lines, never what is trained, selected or measured (not hashed) */
	{"diag_freq", CFG_INT, "0", NULL, CFG_NOHASH,
	 "iterations between diagnostics points (result lines diag, diag_stat, diag_test): the "
	 "training BCE of clean and noisy positives and the method's counters since the previous "
	 "point; 0: about 50 points per training phase; -1: none", NULL},
	{"diag_test", CFG_BOOL, "false", NULL, CFG_NOHASH,
	 "rank the test split at every diagnostics point too (Recall and NDCG at ks along "
	 "training, DeCA Fig. 3); costs one test evaluation per point", NULL},
	{"dump_preds", CFG_INT, "0", NULL, CFG_NOHASH,
	 "record the trained model's P(r=1) of N clean and N noisy train lines (result lines "
	 "pred; DeCA Fig. 2), the same lines for every cell of a dataset", NULL},
	{"ftz", CFG_BOOL, "false", NULL, CFG_HASH_SET,
	 "flush float32 subnormals to zero (x86 MXCSR FTZ+DAZ) for the whole run: faster once "
	 "cold rows decay, but not the reference's arithmetic", NULL},
	{"rce_beta", CFG_FLOAT, "0.1", NULL, 0, "R-CE weight exponent beta (method r-ce)", NULL},
	{"drop_rate", CFG_FLOAT, "0.2", NULL, 0, "T-CE maximum drop rate eps_max (method t-ce)", NULL},
	{"num_gradual", CFG_INT, "30000", NULL, 0,
	 "T-CE iterations of the drop-rate ramp (0: eps_max from the start)", NULL},
	{"drop_exponent", CFG_FLOAT, "1", NULL, 0, "T-CE ramp exponent on eps_max", NULL},
	{"noisy_below", CFG_FLOAT, "4", NULL, 0,
	 "a training positive rated below this is noisy (clean/noisy training loss, T-CE drop "
	 "statistics); 1 on the ADT datasets' 0/1 flags", NULL},
	{"clean_threshold", CFG_FLOAT, "4", NULL, 0,
	 "method clean: train only on lines whose third column is >= this (4: ratings 4-5, "
	 "5: rating 5; 0/1-flag datasets adressa, yelp, amazon-book: 1)", NULL},
	{"wbpr_gamma", CFG_FLOAT, "1", NULL, 0,
	 "method wbpr: negatives drawn among the user's non-train items with probability "
	 "proportional to popularity^gamma (train lines per item); with gamma > 0 items without "
	 "train lines are never drawn, gamma 0 is uniform", NULL},
	{"wbpr_loss", CFG_CHOICE, "bpr", "bpr|bce", 0,
	 "method wbpr: bpr = -ln sigmoid(z_pos - z_neg), mean over (positive, negative) pairs "
	 "(deca protocol only); bce = Normal's loss on the popularity negatives", NULL},
	{"ensemble_combine", CFG_CHOICE, "prob", "prob|logit|rank", 0,
	 "method ensemble: rank by the mean of the two models' probabilities, of their logits, "
	 "or of their per-user rank positions", NULL},
	/* extra feedback (extended ADT paper §3.4, §5.3) */
	{"extra_share", CFG_FLOAT, "0.2", NULL, 0,
	 "methods finetune, warmup, nmtr, nr: share of the clean train lines (third column >= "
	 "clean_threshold) whose label is known (the extra feedback), drawn from the stream "
	 "extra-feedback", NULL},
	{"extra_epochs", CFG_INT, "10", NULL, 0,
	 "finetune, warmup: epochs of the phase on the extra feedback", NULL},
	{"extra_base", CFG_CHOICE, "t-ce", "t-ce|r-ce", 0,
	 "finetune, warmup: the ADT loss of the phase on the implicit feedback", NULL},
	{"collide_n", CFG_INT, "10", NULL, 0,
	 "warmup, colliding inference: neighbours |N| (most similar users after warm-up)", NULL},
	{"collide_lambda", CFG_FLOAT, "1", NULL, 0,
	 "warmup, colliding inference: weight lambda of the user's own scores (1: plain "
	 "ranking, no colliding inference)", NULL},
	{"collide_threshold", CFG_FLOAT, "0.1", NULL, 0,
	 "warmup, colliding inference: applied to users whose known/train line ratio is below "
	 "this", NULL},
	{"nmtr_weight", CFG_FLOAT, "1", NULL, 0,
	 "nmtr: weight of the satisfaction (extra feedback) task beside the click task", NULL},
	{"nr_skip_weight", CFG_FLOAT, "0.4", NULL, 0,
	 "nr: weight of a train line without extra feedback, taken as a negative", NULL},
	/* CDAE (protocol.md §3.3, §5.3, §6.2, §6.5); the defaults are the reference's */
	{"cdae_hidden", CFG_INT, "32", NULL, 0,
	 "CDAE hidden units (DeCA code and paper: 32; the ADT paper: 200)", NULL},
	{"cdae_corruption", CFG_FLOAT, "0.5", NULL, 0,
	 "CDAE input dropout probability (survivors scaled by 1/(1-p))", NULL},
	{"cdae_stream", CFG_STRING, "cdae-corruption", NULL, 0,
	 "CDAE: purpose name of the corruption's random stream (DeCA(p) gives its frozen copy "
	 "g its own, as the reference's shared generator does)", NULL},
	{"cdae_mask", CFG_BOOL, "false", NULL, 0,
	 "CDAE: mask train (and valid, see mask_valid) items at test like every other model "
	 "(false: the reference's test masks nothing)", NULL},
	{"cdae_eval_corruption", CFG_BOOL, "true", NULL, 0,
	 "CDAE: corrupt the input at validation and test too (the reference never calls eval())",
	 NULL},
	{"cdae_valid", CFG_CHOICE, "reference", "reference|heldout", 0,
	 "CDAE validation loss: reference = reconstruct the validation matrix from itself; "
	 "heldout = train rows in, the method's loss on valid items + sampled negatives", NULL},
	{"gcn_layers", CFG_INT, "3", NULL, 0,
	 "LightGCN propagation layers L (final embedding: mean of layers 0..L)", NULL},
	{"knn_k", CFG_INT, "100", NULL, 0, "ItemKNN: neighbours kept per item", NULL},
	{"knn_shrink", CFG_FLOAT, "0", NULL, 0,
	 "ItemKNN: shrinkage added to the cosine denominator sqrt|U_i| sqrt|U_j|", NULL},
	{"ease_lambda", CFG_FLOAT, "500", NULL, 0,
	 "EASE^R: L2 weight lambda of the item-item matrix", NULL},
	/* DeCA / DeCA(p) (protocol.md §4.6; defaults: the reference CLI's, §7.2) */
	{"deca_c1", CFG_INT, "1000", NULL, 0,
	 "DeCA C1: -log P(noisy negative | r = 1) of the DP term (an int in the reference)", NULL},
	{"deca_c2", CFG_INT, "10", NULL, 0,
	 "DeCA C2: -log P(noisy positive | r = 0) of the DN term (an int in the reference)", NULL},
	{"deca_alpha", CFG_FLOAT, "1", NULL, 0,
	 "DeCA agreement: alpha * KL(g||f) + (1 - alpha) * KL(f||g)", NULL},
	{"deca_iterative", CFG_BOOL, "true", NULL, 0,
	 "DeCA: alternate DP and DN per iteration (false: every iteration is the schedule's first "
	 "type)", NULL},
	{"deca_schedule", CFG_CHOICE, "reference", "reference|paper", 0,
	 "reference: iteration 0 'both' (with the code's positive term), then DP on odd, DN on "
	 "even counts; paper: Algorithm 1, DP on even, DN on odd counts", NULL},
	{"deca_terms", CFG_CHOICE, "both", "both|dp|dn", 0,
	 "DeCA ablation (Table 3): both = DP and DN per the schedule; dp / dn = only that term",
	 NULL},
	{"deca_h_model", CFG_CHOICE, "mf", "mf|gmf|neumf", 0,
	 "DeCA noise models h, h' (Tables 4, 6)", NULL},
	{"deca_dim", CFG_INT, "32", NULL, 0, "DeCA embedding size of g (deca) and h, h'", NULL},
	{"deca_pretrain_cache", CFG_BOOL, "true", NULL, CFG_NOHASH,
	 "DeCA(p): reuse the pre-trained g cached under cache_dir", NULL},
	{"cache_dir", CFG_STRING, "", NULL, CFG_NOHASH,
	 "cache of pre-trained models (empty: $DENOISEBENCH_CACHE, else "
	 "$XDG_CACHE_HOME/denoisebench, else $HOME/.cache/denoisebench)", NULL},
	/* the newer methods (issue 14; README "Training methods"): defaults are
	 * their authors' code's; hashed only when set, so that adding them
	 * leaves every existing cell's id as it was */
	{"udt_temp1", CFG_FLOAT, "0.2", NULL, CFG_HASH_SET,
	 "udt: softmax temperature of the user with the lowest loss (code --temp1; linear in "
	 "the loss rank up to udt_temp2)", NULL},
	{"udt_temp2", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
	 "udt: softmax temperature of the user with the highest loss (code --temp2)", NULL},
	{"udt_userfact1", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
	 "udt: user factor of the user with the lowest loss (code --userfact1)", NULL},
	{"udt_userfact2", CFG_FLOAT, "0", NULL, CFG_HASH_SET,
	 "udt: user factor of the user with the highest loss (code --userfact2)", NULL},
	{"udt_warmup", CFG_INT, "2", NULL, CFG_HASH_SET,
	 "udt: epochs trained with weight 1 before the reweighting starts (code: epoch <= 1)",
	 NULL},
	{"udt_weights", CFG_CHOICE, "epoch", "epoch|batch", CFG_HASH_SET,
	 "udt: epoch = positives' weights from the previous epoch's losses (NCF/main.py); batch "
	 "= from the current batch (CDAE/main_CDAE.py; the default on cdae)", NULL},
	{"udt_user_loss", CFG_CHOICE, "last", "last|sum", CFG_HASH_SET,
	 "udt, epoch weights: a batch adds to a user's loss score the loss of its last sample "
	 "only (the code's index assignment) or of every sample", NULL},
	{"udt_neg_weight", CFG_CHOICE, "pair", "pair|one", CFG_HASH_SET,
	 "udt: a negative takes its (user, item) pair's weight as the code's table does (the "
	 "user factor unless it is a train pair), or 1", NULL},
	{"udt_batch_norm", CFG_CHOICE, "cells", "cells|positives", CFG_HASH_SET,
	 "udt, batch weights: the softmax over a user's positives times its cells in the batch "
	 "/ 2 (the code's, = its positives at one negative each) or times its positives", NULL},
	{"eard_lower", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
	 "eard: factor of the user (item) with the highest mean loss, alpha (code "
	 "--factor_lower; its config.conf's 0.5)", NULL},
	{"eard_upper", CFG_FLOAT, "1.5", NULL, CFG_HASH_SET,
	 "eard: factor of the user (item) with the lowest mean loss, beta (code --factor_upper; "
	 "its config.conf's 1.5)", NULL},
	{"eard_warmup", CFG_INT, "2", NULL, CFG_HASH_SET,
	 "eard: epochs trained with weight 1 before the reweighting starts (code: epoch <= 1)",
	 NULL},
	{"eard_entity_loss", CFG_CHOICE, "last", "last|sum", CFG_HASH_SET,
	 "eard: a batch adds to a user's (item's) loss sum and count its last sample only "
	 "(NCF/main.py's index assignment) or every sample (CDAE/main_CDAE.py; the default on "
	 "cdae)", NULL},
	{"eard_ecdf", CFG_BOOL, "true", NULL, CFG_HASH_SET,
	 "eard: multiply by the ECDF weight of the pair's loss (false: entity factors only, an "
	 "ablation)", NULL},
	{"dcf_co_lambda", CFG_FLOAT, "1e-4", NULL, CFG_HASH_SET,
	 "dcf: sigma^2 of the concentration bound (code --co_lambda), decayed linearly to 0 "
	 "over the epochs", NULL},
	{"dcf_relabel_ratio", CFG_FLOAT, "0.05", NULL, CFG_HASH_SET,
	 "dcf: share rr of the drop rate whose highest-loss samples are relabelled (code "
	 "--relabel_ratio)", NULL},
	{"dcf_time_step", CFG_INT, "3", NULL, CFG_HASH_SET,
	 "dcf: epochs between resets of the running mean and the selection counts (code "
	 "--time_step)", NULL},
	{"dcf_state", CFG_CHOICE, "position", "position|pair", CFG_HASH_SET,
	 "dcf: running means keyed by the sample's position in the epoch's shuffled batches "
	 "(the code's) or by the train pair", NULL},
	{"dcf_relabel", CFG_CHOICE, "keep", "keep|flip", CFG_HASH_SET,
	 "dcf: relabelled samples keep their label (the code reads it back from the unchanged "
	 "train matrix) or train as negatives (the paper's stated intent)", NULL},
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
	{"diag_freq", -1, 1e12},
	{"dump_preds", 0, 1e7},
	{"early_stop_rounds", 1, 1e6},
	{"factors", 1, 4096},
	{"mlp_layers", 1, 8},
	{"user_num", 0, 2147483647.0},
	{"item_num", 0, 2147483647.0},
	{"max_id", 1, 2147483646.0},
	{"eval_block", 1, 65536},
	{"rce_beta", 0, 100},
	{"drop_rate", 0, 0.99},
	{"num_gradual", 0, 1e12},
	{"drop_exponent", 0, 100},
	{"cdae_hidden", 1, 4096},
	{"cdae_corruption", 0, 0.999},
	{"gcn_layers", 0, 16},
	{"knn_k", 1, 2147483647.0},
	{"knn_shrink", 0, 1e12},
	{"ease_lambda", 0, 1e15},
	{"wbpr_gamma", 0, 100},
	{"extra_share", 0, 1},
	{"extra_epochs", 0, 1e6},
	{"collide_n", 1, 1e6},
	{"collide_lambda", 0, 1},
	{"collide_threshold", 0, 1e9},
	{"nmtr_weight", 0, 1e6},
	{"nr_skip_weight", 0, 1e6},
	{"deca_c1", 0, 1e9},
	{"deca_c2", 0, 1e9},
	{"deca_alpha", 0, 1},
	{"deca_dim", 1, 4096},
	/* the newer methods (issue 14) */
	{"udt_temp1", 1e-6, 1e30},
	{"udt_temp2", 1e-6, 1e30},
	{"udt_userfact1", 0, 1e6},
	{"udt_userfact2", 0, 1e6},
	{"udt_warmup", 1, 1e6},
	{"eard_lower", 0, 1e6},
	{"eard_upper", 0, 1e6},
	{"eard_warmup", 1, 1e6},
	{"dcf_co_lambda", 0, 0.5},
	{"dcf_relabel_ratio", 0, 1},
	{"dcf_time_step", 1, 1e6},
};
const int config_nranges = (int)(sizeof config_ranges / sizeof config_ranges[0]);
