/* The recsys25 protocol (the RecSys'25 re-evaluation, bachml/EvalDenoisingRec;
 * README "The recsys25 protocol"): its resolved defaults for a few cells
 * against values written by hand from the authors' files
 * (code/experiments_config/ml100k/<Model>-<Method>.yaml, code/DeCA/configs.py,
 * the epochs of results/metric_records.zip), the loop each method runs, the
 * revised criterion of its ERM_RE on a hand-computed case and the parsing of
 * oracle_metric. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "methods/method.h"
#include "tap.h"
#include "train/select.h"

struct expect {
	const char *model, *method;
	const char *kv[48]; /* key, value, ..., NULL */
};

/* What the authors' files say (README table), not what defaults.c says. */
static const struct expect cells[] = {
	/* GMF-ERM.yaml: lr 0.001, batch 1024, top_k [5..100], num_ng 1,
	 * factor_num 32; main.py: BCEWithLogits, Adam without weight decay,
	 * negatives rejected against train_mat, eval + test every epoch */
	{"gmf", "normal",
		{"batch_size", "1024", "output", "logit", "neg_exclude_pos", "true", "l2", "0",
			"lr", "0.001", "neg_ratio", "1", "factors", "32", "epochs", "50",
			"eval_freq", "0", "eval_epochs", "1", "valid_reduce", "mean", "valid_split",
			"noisy", "selection", "best", "early_stop", "false", "ks", "5,10,20,50,100",
			NULL}},
	/* LightGCN-TCE.yaml: drop_rate 0.2, num_gradual 30000, exponent 1;
	 * model.LightGCN(factor_num 32); tested every 10th epoch of 300 */
	{"lightgcn", "t-ce",
		{"factors", "32", "drop_rate", "0.2", "num_gradual", "30000", "drop_exponent", "1",
			"epochs", "300", "eval_epochs", "10", "batch_size", "1024", "output",
			"logit", NULL}},
	/* NeuMF-RCE.yaml: RCE_alpha 0.25 */
	{"neumf", "r-ce",
		{"rce_beta", "0.25", "epochs", "50", "eval_epochs", "1", "mlp_layers", "3", NULL}},
	/* CDAE/main.py: 500 epochs, tested every 20th, model.eval() at test,
	 * train + valid masked, corruption 0.2 */
	{"cdae", "normal",
		{"epochs", "500", "eval_epochs", "20", "cdae_corruption", "0.2", "cdae_mask",
			"true", "cdae_eval_corruption", "false", "cdae_valid", "heldout", NULL}},
	/* code/DeCA/configs.py DeCAp_configs[('NeuMF', 'ml100k')]: C_2 10,
	 * C_1 100, epochs 50, lambda0 0.0, alpha 1; DeCA main.py batch 2048 */
	{"neumf", "deca-p",
		{"batch_size", "2048", "output", "prob", "neg_exclude_pos", "false", "epochs", "50",
			"deca_c1", "100", "deca_c2", "10", "deca_alpha", "1", "l2", "0",
			"early_stop", "false", "eval_epochs", "1", "valid_reduce", "mean",
			"selection", "best", NULL}},
	/* DeCA_configs[('LightGCN', 'ml100k')]: C_2 100, C_1 100, epochs 300,
	 * lambda0 0.1, alpha 0.0; DeCA's LightGCN latent_dim 64 */
	{"lightgcn", "deca",
		{"factors", "64", "epochs", "300", "deca_c1", "100", "deca_c2", "100", "deca_alpha",
			"0", "l2", "0.1", "eval_epochs", "10", "early_stop", "false", NULL}},
};

/* Numbers compare as numbers ("1.0" = "1"), everything else as text. */
static int
same(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	if (*a && *b && !*ea && !*eb)
		return x == y;
	return !strcmp(a, b);
}

static int
resolve(config *out, const char *mo, const char *me)
{
	config ex;
	db_err err = {{0}};
	config_init(&ex);
	int rc = config_set(&ex, "protocol", "recsys25", &err) ||
		config_set(&ex, "dataset", "ml-100k", &err) || config_set(&ex, "model", mo, &err) ||
		config_set(&ex, "method", me, &err) || config_resolve(out, &ex, &err);
	if (rc)
		printf("# resolve %s/%s: %s\n", mo, me, err.msg);
	config_free(&ex);
	return rc;
}

static void
test_defaults(void)
{
	for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
		config r;
		if (resolve(&r, cells[c].model, cells[c].method)) {
			tap_ok(0, "recsys25 %s/%s resolves", cells[c].model, cells[c].method);
			continue;
		}
		int bad = 0;
		for (int i = 0; cells[c].kv[i]; i += 2)
			if (!same(config_get(&r, cells[c].kv[i]), cells[c].kv[i + 1])) {
				printf("# %s/%s: %s = %s, the authors' %s\n", cells[c].model,
					cells[c].method, cells[c].kv[i],
					config_get(&r, cells[c].kv[i]), cells[c].kv[i + 1]);
				bad++;
			}
		tap_ok(!bad, "recsys25 ml-100k %s/%s: defaults are the authors' (%d differ)",
			cells[c].model, cells[c].method, bad);
		config_free(&r);
	}
}

/* code/DeCA/ trains DeCA and DeCA(p) (under their aliases too); ADT's
 * main.py the others. */
static void
test_loop(void)
{
	static const struct {
		const char *method;
		enum config_protocol want;
	} loops[] = {{"normal", PROTOCOL_ADT}, {"t-ce", PROTOCOL_ADT}, {"r-ce", PROTOCOL_ADT},
		{"deca", PROTOCOL_DECA}, {"deca-p", PROTOCOL_DECA}, {"dvae", PROTOCOL_DECA}};
	int bad = 0;
	for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
		config r;
		if (resolve(&r, "gmf", loops[i].method) || config_protocol(&r) != loops[i].want) {
			printf("# %s: wrong loop\n", loops[i].method);
			bad++;
		}
		config_free(&r);
	}
	tap_ok(!bad, "recsys25: DeCA's loop for deca/deca-p, ADT's for the others");
}

/* Losses by hand: positives 0.1 0.5 0.3 2.0 0.2 (5, keep int(0.8 * 5) = 4:
 * 2.0 goes), negatives 0.4 + 0.6: (0.1 + 0.2 + 0.3 + 0.5 + 1.0) / 6 = 0.35. */
static void
test_revised(void)
{
	double pos[] = {0.1, 0.5, 0.3, 2.0, 0.2};
	double v = train_revised_criterion(pos, 5, 0.4 + 0.6, 2, 0.2);
	tap_ok(fabs(v - 0.35) < 1e-12,
		"revised: largest 20%% of positive losses out, one mean "
		"(%.15g, want 0.35)",
		v);
	/* 9 positives: int(7.2) = 7 kept, the two largest (8, 9) out */
	double p9[] = {9, 1, 8, 2, 7, 3, 6, 4, 5};
	v = train_revised_criterion(p9, 9, 0, 1, 0.2);
	tap_ok(fabs(v - 28.0 / 8.0) < 1e-12, "revised: keep = floor(0.8 n) (%.15g, want 3.5)", v);
	double none[] = {1};
	tap_ok(fabs(train_revised_criterion(none, 1, 3, 2, 0.2) - 1.5) < 1e-12,
		"revised: one positive: floor(0.8) = 0 kept, the negatives' mean");
}

static void
test_oracle_metric(void)
{
	struct train_diag_hook h = {.n_test = 6,
		.metric = {"recall", "recall", "recall", "ndcg", "ndcg", "ndcg"},
		.k = {5, 10, 20, 5, 10, 20}};
	static const struct {
		const char *v;
		int want;
	} cases[] = {{"ndcg@20", 5}, {"recall@10", 1}, {"ndcg@5", 3}, {"ndcg@30", -1},
		{"mrr@20", -1}, {"ndcg20", -1}, {"@20", -1}, {"ndcg@", -1}, {"ndcg@20x", -1},
		{"nd@20", -1}};
	int bad = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config r;
		db_err err = {{0}};
		config_init(&r);
		config_set(&r, "oracle_metric", cases[i].v, &err);
		int j = train_oracle_index(config_get(&r, "oracle_metric"), &h, &err);
		if (j != cases[i].want) {
			printf("# oracle_metric %s: %d, want %d\n", cases[i].v, j, cases[i].want);
			bad++;
		}
		if (j < 0 && !strstr(err.msg, "oracle_metric")) {
			printf("# oracle_metric %s: message '%s' names no setting\n", cases[i].v,
				err.msg);
			bad++;
		}
		config_free(&r);
	}
	tap_ok(!bad, "oracle_metric: METRIC@K among the measured values, else a clear error");
}

int
main(void)
{
	/* the registries lend the model and method names to config (and their
	 * objects are linked only when referenced) */
	if (!tap_ok(method_find("deca-p") && method_find("r-ce") && model_find("cdae"),
		    "the cells' methods and models are registered"))
		return tap_done();
	test_defaults();
	test_loop();
	test_revised();
	test_oracle_metric();
	return tap_done();
}
