/* The rules that pick the tested parameters among the evaluation points
 * (the `selection` key): the last ones (deca), the lowest validation loss of
 * the method's own criterion (adt, recsys25), the lowest revised criterion of
 * the RecSys'25 study's ERM_RE, and the oracle, the best test metric (an
 * upper bound).  The loop (train.c) keeps the parameters; this file holds
 * what can be said without it. */
#ifndef DB_TRAIN_SELECT_H
#define DB_TRAIN_SELECT_H

#include "config/config.h"
#include "results/train_log.h"
#include "util/status.h"

/* The revised validation criterion (EvalDenoisingRec main.py
 * eval_RevistingEvaluation, code/DeCA/train.py eval_RE): the plain BCE of
 * every validation sample, the positives' sorted ascending and only the
 * first floor((1 - drop) * npos) kept (Python's int()), then one mean over
 * the kept positives and all negatives.  Sorts pos[0..npos) in place; NAN
 * when nothing is kept. */
double train_revised_criterion(double *pos, long npos, double neg_sum, long nneg, double drop);

/* The index among hook's test values of want, the oracle_metric setting
 * ("ndcg@20": a metric name the hook measures and one of its K), or -1 with
 * a message naming the setting and what was expected.  (The rule itself is
 * the typed selection, config/settings.h.) */
int train_oracle_index(const char *want, const struct train_diag_hook *hook, db_err *err);

#endif
