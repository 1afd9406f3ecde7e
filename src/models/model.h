/* The model interface.
 *
 * A model owns one flat parameter buffer and one gradient buffer of the same
 * layout (llm.c style), described by a small tensor table; dense Adam, L2,
 * checkpoints and gradient checks all work on the flat arrays.  Models see
 * a batch of (user, item) samples and produce logits z; the training method
 * turns logits into a loss and dL/dz; backward accumulates dL/dtheta.
 * Whether the output is read as sigmoid(z) (DeCA) or z (ADT) is the
 * `output` setting and lives outside the model.
 *
 * Adding a model = one file with a `const struct model_ops` (and its
 * settings) and one row in the registry (models/model.c).
 */
#ifndef DB_MODELS_MODEL_H
#define DB_MODELS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "config/config.h"
#include "data/dataset.h"
#include "util/status.h"

/* Training or validation samples.  In the deca layout the first n_pos
 * samples are the positives and the rest their sampled negatives. */
typedef struct batch {
	int n, n_pos, cap;
	int *user, *item;
	float *label;  /* 1 positive, 0 negative */
	float *rating; /* third column of the positive's train line; NAN for sampled negatives */
} batch;

int batch_alloc(batch *b, int cap, db_err *err);
void batch_free(batch *b);

#define MODEL_MAX_TENSORS 16

struct param_tensor {
	const char *name;
	size_t offset, rows, cols; /* row-major rows x cols inside param[] */
};

enum model_l2_form {
	L2_HALF_SQ_PER_USER, /* l2 * 1/2 * sum theta^2 / user_num (DeCA recommender models) */
	L2_FROBENIUS         /* l2 * sum_tensors ||theta||_F (DeCA CDAE) */
};

/* What create gets: the values every model shares, filled once by
 * model_create from the typed settings (config/settings.h), so that no
 * model looks them up by name, and the config its own keys are in. */
struct model_args {
	int factors;
	uint64_t seed;
	int batch_cap, eval_block;
	const config *cfg;
};

typedef struct model {
	const struct model_ops *ops;
	int n_users, n_items;
	size_t n_params;
	float *param, *grad;
	int n_tensors;
	struct param_tensor tensor[MODEL_MAX_TENSORS];
	enum model_l2_form l2_form;
	/* 0: scores do not depend on which users share a score_users call;
	 * > 0: they do (CDAE's per-block normalisation), and evaluation scores
	 * blocks of exactly this many users, in the split's file order */
	int score_block;
	/* threads a model may split a pass over, where the split gives the same
	 * bits (LightGCN's sparse products); <= 1: one.  The run's budget, set
	 * on the target model after create. */
	int threads;
	void *state; /* model-specific activations and workspace */
} model;

struct model_ops {
	const char *name;
	const char *display; /* the papers' spelling ("NeuMF") */
	/* Its own settings: the key tables it names, CONFIG_TABLES(t1, ...),
	 * declared in its file (NULL: none beyond those of every run). */
	const struct config_key *const *keys;
	/* The authors' defaults for it (rows that name this model; NULL: none). */
	const struct config_default *defaults;
	int trainable; /* 0: no gradients (MostPop, ...); gradient methods refuse it */
	/* 1: trains on chunks of whole users (CDAE, protocol.md §2.3): all their
	 * positives plus sampled zero cells, losses as §4.1.3 and §4.6.4 */
	int user_batches;
	/* Declares tensors and allocates param/grad and workspace for forward
	 * and backward on up to a->batch_cap samples and score_users on up to
	 * a->eval_block users.  Takes the run's shared values from a and parses
	 * its own keys (mlp_layers, ...) from a->cfg, here and only here. */
	int (*create)(model *m, const dataset *d, const struct model_args *a, db_err *err);
	/* Initialises param[] as the reference does (protocol.md §3.5). */
	void (*init)(model *m, gsl_rng *r);
	/* logit[k] for sample k; caches what backward needs. */
	void (*forward)(model *m, const batch *b, float *logit);
	/* grad += dL/dtheta, given dlogit[k] = dL/dz_k for the batch that the
	 * last forward saw. */
	void (*backward)(model *m, const batch *b, const float *dlogit);
	/* out[r * n_items + i] = logit of item i for users[r], r < nu <= eval_block. */
	void (*score_users)(model *m, const int *users, int nu, float *out);
	/* Optional: *c becomes a scorer for one more evaluation worker: a copy
	 * of m sharing its parameters and everything score_users only reads,
	 * owning the workspace score_users writes, for up to block users per
	 * call; its score_users gives m's bits.  Called by the evaluation
	 * before any scoring and before its workers start (a lazy cache is
	 * filled here, once); c lives while m's parameters do not change.
	 * NULL: score_users writes shared state or draws from a stream (CDAE),
	 * and evaluation stays on one worker.  model_score_share is the copy
	 * for scorers that write nothing. */
	int (*score_clone)(model *m, int block, model *c, db_err *err);
	/* Optional: frees what score_clone allocated (NULL: nothing). */
	void (*score_clone_free)(model *c);
	/* Optional: training (1, the default) or evaluation (0) mode, as torch's
	 * train()/eval(); the loop switches to 0 around its validation batches. */
	void (*set_mode)(model *m, int training);
	/* Optional: the model's own validation criterion (CDAE, protocol.md
	 * §5.3) into *loss; returns 0 when the model has none under its settings
	 * and the loop uses the method's criterion on sampled batches. */
	int (*valid_loss)(model *m, const dataset *d, double *loss);
	/* Optional, user-chunk models: the rows the training sampler draws from
	 * (they live as long as the phase; NULL: back to the train rows). */
	void (*set_inputs)(model *m, const csr *rows);
	/* Optional: the stream forward and score_users draw from (CDAE's
	 * corruption), so that an observer outside training (diagnostics) can
	 * put it back as it found it. */
	gsl_rng *(*stream)(model *m);
	/* Optional: parameters changed (after an optimiser step); drop caches. */
	void (*params_changed)(model *m);
	/* Frees state (param/grad are freed by model_destroy). */
	void (*destroy)(model *m);
};

/* Looks a model up by its command-line name. */
const struct model_ops *model_find(const char *name);
/* "mf|gmf|..." */
const char *model_names(void);

/* Declares the next tensor (create helpers); returns its offset. */
size_t model_add_tensor(model *m, const char *name, size_t rows, size_t cols);
/* Allocates param/grad for the declared tensors. */
int model_alloc_params(model *m, db_err *err);

int model_create(model *m, const struct model_ops *ops, const dataset *d, const config *cfg,
	int batch_cap, int eval_block, db_err *err);
void model_destroy(model *m);
void model_zero_grad(model *m);
/* Adds the L2 term to grad (when add_grad) and returns its value. */
double model_l2(model *m, double lambda, int add_grad);
struct adam;
/* The optimiser step with the model's L2 term (protocol.md §4.1): adds its
 * gradient, steps opt, leaves grad zeroed; returns the L2 term's value at
 * the parameters before the step. */
double model_step(model *m, struct adam *opt, double lambda);
const struct param_tensor *model_tensor(const model *m, const char *name);
/* m's parameters were written in place (a step, a load): drops the model's
 * caches (params_changed). */
void model_params_changed(model *m);
/* Copies m->n_params values from src into m's parameters, then as above. */
void model_set_params(model *m, const float *src);

/* score_clone of a model whose score_users writes nothing but out: *c = *m. */
int model_score_share(model *m, int block, model *c, db_err *err);

/* Initialisers used by several models. */
void init_normal(float *x, size_t n, double sd, gsl_rng *r);
void init_uniform(float *x, size_t n, double bound, gsl_rng *r);

/* The models are reached through the registry (model_find), which alone
 * declares them (models/model.c). */

/* CDAE's input normalisation (cdae.c, protocol.md §3.3): for the binary rows
 * X[users[0..nu)] (sorted distinct items), writes 1/sqrt(sqrt(n_u)·sqrt(m_i))
 * in float32 alongside each row's items, row after row, into val; n_u is the
 * row's length and m_i the number of these rows holding item i.  count:
 * n_items ints of scratch. */
void cdae_normalise(const csr *X, const int *users, int nu, int n_items, int *count, float *val);
/* While frozen (1), forward reuses the corruption mask of its last call on
 * the same batch instead of drawing one (finite-difference checks). */
void cdae_freeze_corruption(model *m, int frozen);

/* LightGCN's Â = D^-½ A D^-½ over users then items (row n_users + i is item
 * i), from the distinct train pairs; values alongside adj->idx. */
int lightgcn_adjacency(const dataset *d, csr *adj, float **val, db_err *err);

/* Item-item models (itemknn.c): score(u, ·) = Σ_{j ∈ train items of u} W[j, ·].
 * item_item_create allocates the state and the zeroed W that the model's
 * create fills; item_item_gram writes C = XᵀX (n_items², double). */
int item_item_create(model *m, const dataset *d, float **W, db_err *err);
void item_item_gram(const model *m, double *C);
void item_item_init(model *m, gsl_rng *r);
void item_item_forward(model *m, const batch *b, float *logit);
void item_item_score_users(model *m, const int *users, int nu, float *out);
void item_item_destroy(model *m);

#endif
