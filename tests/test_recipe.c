/* The add-a-method recipe (CONTRIBUTING.md) is true: tests/fixture_method.c
 * and its registry row are all this program adds, and the method is then a
 * value of the method key (validated, hashed, listed), runs through run_one
 * and trains exactly as Normal (its loss is Normal's); its own setting and
 * default row, declared in its file, are the config's.  Then every method of
 * the registry, the fixture included, runs one short cell. */
#include <string.h>

#include "config/config.h"
#include "methods/method.h"
#include "rig.h"
#include "tap.h"

static void
test_fixture_registered(void)
{
	db_err err = {{0}};
	config c;
	config_init(&c);
	tap_ok(method_find("fixture") != NULL, "the fixture is in the registry");
	tap_ok(strstr(config_key_choices(config_key_find("method")), "|fixture") != NULL,
		"the method key lists it (%s)", config_key_choices(config_key_find("method")));
	tap_ok(config_set(&c, "method", "fixture", &err) == DB_OK, "method=fixture is accepted");
	config_free(&c);
}

static void
test_fixture_is_normal(void)
{
	const char *kf[] = {"method=fixture", "epochs=2", "factors=8", NULL};
	const char *kn[] = {"method=normal", "epochs=2", "factors=8", NULL};
	struct run_summary f, n;
	int ok = rig_run_finite(kf, &f) && rig_run_finite(kn, &n);
	tap_ok(ok && !strcmp(f.method, "fixture") && f.iterations == n.iterations &&
			!memcmp(f.test, n.test, sizeof f.test),
		"fixture trains bit-identically to Normal through run_one (%ld iterations)",
		f.iterations);
}

/* The fixture's own setting and default row, declared in its file only,
 * are the config's: known, listed, range-checked, hashed, resolved, and
 * refused by `check` on the methods that ignore it. */
static void
test_fixture_settings(void)
{
	db_err err = {{0}};
	config c, r, s;
	config_init(&c);
	config_init(&s);
	int listed = 0;
	for (int i = 0; i < config_nkeys(); i++)
		listed += !strcmp(config_key_at(i)->name, "fixture_scale");
	tap_ok(config_key_find("fixture_scale") && listed == 1,
		"fixture_scale is declared, listed once");
	tap_ok(config_set(&c, "fixture_scale", "11", &err) == DB_EINVAL &&
			strstr(err.msg, "[0, 10]"),
		"its range is checked (%s)", err.msg);
	config_set(&c, "protocol", "adt", &err);
	config_set(&c, "method", "fixture", &err);
	config_copy(&s, &c, &err);
	config_set(&s, "fixture_scale", "2", &err);
	tap_ok(config_hash(&c) != config_hash(&s), "it enters the hash");
	int rc = config_resolve(&r, &c, &err);
	tap_ok(!rc && config_int(&r, "epochs") == 5 &&
			!strcmp(config_origin(&c, "epochs"), "paper config"),
		"its default row applies (epochs %ld, %s)", config_int(&r, "epochs"),
		config_origin(&c, "epochs"));
	config_free(&r);
	config_set(&c, "method", "normal", &err);
	rc = config_resolve(&r, &c, &err);
	tap_ok(!rc && config_int(&r, "epochs") == 10, "and only to it (normal: epochs %ld)",
		config_int(&r, "epochs"));
	char readers[64];
	tap_ok(method_ignores(&method_normal, "fixture_scale", readers, sizeof readers) &&
			!strcmp(readers, "fixture") &&
			!method_ignores(method_find("fixture"), "fixture_scale", readers,
				sizeof readers),
		"check refuses it on Normal, read by %s", readers);
	config_free(&r);
	config_free(&c);
	config_free(&s);
}

/* The setting reaches the method: scale 0 trains nothing, unlike Normal. */
static void
test_fixture_scale_used(void)
{
	const char *kf[] = {"method=fixture", "fixture_scale=0", "epochs=2", "factors=8", NULL};
	const char *kn[] = {"method=normal", "epochs=2", "factors=8", NULL};
	struct run_summary f, n;
	int ok = rig_run_finite(kf, &f) && rig_run_finite(kn, &n);
	tap_ok(ok && memcmp(f.test, n.test, sizeof f.test) != 0,
		"fixture_scale=0 trains differently from Normal");
}

/* Every registered method completes a short cell: a new method gets this
 * check without anyone listing it. */
static void
test_every_method_runs(void)
{
	char names[1024];
	snprintf(names, sizeof names, "%s", method_names());
	int n = 0;
	for (char *save, *m = strtok_r(names, "|", &save); m; m = strtok_r(NULL, "|", &save)) {
		char mk[64];
		snprintf(mk, sizeof mk, "method=%s", m);
		const char *kv[] = {mk, "epochs=1", "factors=8", "extra_epochs=1",
			"deca_pretrain_cache=false", NULL};
		struct run_summary s;
		tap_ok(rig_run_finite(kv, &s) && !strcmp(s.method, m), "%s: a short cell completes",
			m);
		n++;
	}
	tap_ok(n >= 13, "every registered method ran (%d)", n);
}

int
main(void)
{
	test_fixture_registered();
	test_fixture_is_normal();
	test_fixture_settings();
	test_fixture_scale_used();
	test_every_method_runs();
	return tap_done();
}
