/* The suite runner: cells run in forked workers, results land atomically
 * (run_one writes a temporary file and renames it), so a run killed at any
 * moment resumes by skipping the cells whose result file exists. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "results/result.h"
#include "suite/suite.h"
#include "util/hash.h"

/* The cell's identity: its resolved configuration, its data and the tool
 * (release and build commit), so that none of them can change without a
 * new result name.  DENOISEBENCH_IDENTITY=release drops the commit, for
 * results that should survive a rebuild of the same release. */
static uint64_t
identity(const config *resolved, uint64_t data_checksum)
{
	uint64_t h = config_hash(resolved);
	h = hash_fnv1a(h, &data_checksum, sizeof data_checksum);
	const char *mode = getenv("DENOISEBENCH_IDENTITY");
	return hash_str(h, mode && !strcmp(mode, "release") ? PACKAGE_VERSION : result_tool_id);
}

int
suite_identity_check(db_err *err)
{
	const char *mode = getenv("DENOISEBENCH_IDENTITY");
	if (mode && *mode && strcmp(mode, "release") && strcmp(mode, "commit"))
		return db_fail(err, DB_EINVAL,
			"DENOISEBENCH_IDENTITY=%s: expected 'commit' "
			"(the default) or 'release'",
			mode);
	return DB_OK;
}

int
suite_cell_path(const struct suite_cell *cell, const char *dir, char *path, size_t size,
	db_err *err)
{
	config r;
	int rc = config_resolve(&r, &cell->cfg, err);
	if (rc != DB_OK)
		return rc;
	int n = snprintf(path, size, "%s/%s/%s-%s%s%s-s%s-%012" PRIx64 ".result", dir,
		config_get(&r, "dataset"), config_get(&r, "model"), config_get(&r, "method"),
		*cell->label ? "-" : "", cell->label, config_get(&r, "seed"),
		identity(&r, cell->data_checksum) & (uint64_t)0xffffffffffff);
	config_free(&r);
	return n < 0 || (size_t)n >= size ? db_fail(err, DB_EINVAL, "%s: result path too long", dir)
					  : DB_OK;
}

static int
mkdir_parent(char *path, db_err *err)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int bad = mkdir(path, 0777) && errno != EEXIST;
		*p = '/';
		if (bad)
			return db_fail(err, DB_EIO, "%s: cannot create the directory: %s", path,
				strerror(errno));
	}
	return DB_OK;
}

/* PATH.tmp.PID files, a killed run's leftovers.  Called with the cell's
 * lock held: every live writer of the cell holds that lock, so none is
 * writing them (a killed writer may still be an unreaped zombie, whose PID
 * answers kill(pid, 0), so the PID alone cannot tell). */
static void
remove_stale(const char *path)
{
	char pat[4200];
	glob_t g;
	snprintf(pat, sizeof pat, "%s.tmp.*", path);
	if (glob(pat, GLOB_NOSORT, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		unlink(g.gl_pathv[i]);
	globfree(&g);
}

/* A skipped cell's leftovers go too, when no one holds its lock. */
static void
remove_stale_unlocked(const char *path)
{
	char pat[4200], lp[4200];
	glob_t g;
	snprintf(pat, sizeof pat, "%s.tmp.*", path);
	if (glob(pat, GLOB_NOSORT, NULL, &g))
		return;
	globfree(&g);
	snprintf(lp, sizeof lp, "%s.lock", path);
	int fd = open(lp, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB))
		remove_stale(path);
	if (fd >= 0)
		close(fd);
}

/* PATH.lock, held (flock) while the cell trains, so that two runs on one
 * results directory never train it twice: when another run holds it, says
 * so (status 4) and waits for it.  The worker inherits the lock, which
 * outlives a killed runner until the worker ends.  Then stale temporary
 * files go. */
static int
lock_cell(const char *path, int *fd, struct suite_progress *p, suite_done_fn done, void *arg,
	db_err *err)
{
	char lp[4200];
	snprintf(lp, sizeof lp, "%s.lock", path);
	*fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (*fd < 0)
		return db_fail(err, DB_EIO, "%s: cannot open: %s", lp, strerror(errno));
	int rc = flock(*fd, LOCK_EX | LOCK_NB);
	if (rc && errno == EWOULDBLOCK) {
		p->path = path, p->status = 4;
		done(p, arg);
		while ((rc = flock(*fd, LOCK_EX)) && errno == EINTR)
			;
	}
	if (rc) {
		close(*fd);
		*fd = -1;
		return db_fail(err, DB_EIO, "%s: cannot lock: %s", lp, strerror(errno));
	}
	remove_stale(path);
	return DB_OK;
}

static void
write_failed(const char *path, const char *why)
{
	char fp[4200];
	snprintf(fp, sizeof fp, "%s.failed", path);
	FILE *f = fopen(fp, "w");
	if (f) {
		fprintf(f, "%s\n", why);
		fclose(f);
	}
}

/* The launch rule (suite.h): jobs / left threads for the cell at next,
 * left = it and the later cells still to run, counted up to jobs. */
static int
launch_threads(char (*paths)[4096], const char *launched, size_t next, size_t n, int jobs,
	int force)
{
	struct stat st;
	size_t left = 1;
	for (size_t i = next + 1; i < n && left < (size_t)jobs; i++)
		left += !launched[i] && (force || stat(paths[i], &st) != 0);
	return jobs / (int)left;
}

/* A worker's exit status when its training failed after `written` cells
 * of its group were written (0: all were). */
enum { WORKER_FAILED = 16 };

/* A shared training's cells: the launched one and those that train with it. */
struct group {
	size_t cell[SUITE_SHARE_MAX];
	int n;
};

/* The worker: one training for the group, its progress in the first cell's
 * PATH.log (the others' say whose training they come from), then exit; 0
 * when every result was written. */
static pid_t
start(const struct suite_cell *cells, char (*paths)[4096], const struct group *g, int threads,
	suite_run_fn run)
{
	pid_t pid = fork();
	if (pid)
		return pid;
	db_err e = {{0}};
	const config *cfg[SUITE_SHARE_MAX];
	const char *out[SUITE_SHARE_MAX];
	FILE *log[SUITE_SHARE_MAX];
	signal(SIGXFSZ, SIG_IGN); /* past ulimit -f: a write error with a reason, not a kill */
	for (int i = 0; i < g->n; i++) {
		char lp[4200];
		cfg[i] = &cells[g->cell[i]].cfg;
		out[i] = paths[g->cell[i]];
		snprintf(lp, sizeof lp, "%s.log", out[i]);
		if ((log[i] = fopen(lp, "w")) && i)
			fprintf(log[i], "trained with %s\n", out[0]);
	}
	int written = 0, rc = run(cfg, out, g->n, threads, log[0], &written, &e);
	if (rc == DB_OK)
		written = g->n;
	for (int i = 0; i < g->n; i++) {
		char fp[4200];
		if (log[i]) {
			fprintf(log[i], "%s\n", i < written ? "done" : e.msg);
			fclose(log[i]);
		}
		snprintf(fp, sizeof fp, "%s.failed", out[i]);
		if (i < written)
			unlink(fp);
		else
			write_failed(out[i], e.msg);
	}
	_exit(rc == DB_OK ? 0 : WORKER_FAILED + written);
}

/* The cells after next that share next's training: share pairs them, they
 * are not launched, their result is missing (or force) and their lock is
 * free; each taken is marked launched, its lock fd in locks[] (the worker
 * inherits it). */
static void
group_collect(const struct suite_cell *cells, char (*paths)[4096], const uint64_t *written_as,
	size_t next, size_t n, int force, suite_share_fn share, char *launched, struct group *g,
	int *locks)
{
	int key[SUITE_SHARE_MAX] = {0};
	g->n = 1;
	g->cell[0] = next;
	for (size_t j = next + 1; share && j < n && g->n < SUITE_SHARE_MAX; j++) {
		struct stat st;
		if (launched[j] || written_as[j] != written_as[next])
			continue;
		int k = share(&cells[next].cfg, &cells[j].cfg), dup = 0;
		for (int i = 1; i < g->n; i++)
			dup |= key[i] == k;
		if (k <= 0 || dup || (!force && !stat(paths[j], &st)))
			continue;
		char lp[4200];
		snprintf(lp, sizeof lp, "%s.lock", paths[j]);
		int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB) && (force || stat(paths[j], &st))) {
			remove_stale(paths[j]);
			key[g->n] = k;
			locks[g->n] = fd;
			g->cell[g->n++] = j;
			launched[j] = 1;
		} else if (fd >= 0) {
			close(fd);
		}
	}
}

struct slot {
	pid_t pid;
	struct group g;
};

/* A cell's settings as written, but for selection: the same for the cells
 * that may share a training (a sum over entries, so any order of them). */
static uint64_t
written_key(const config *c)
{
	uint64_t h = 0;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, "selection"))
			h += hash_str(hash_str(HASH_FNV_INIT, c->e[i].key), c->e[i].val);
	return h;
}

/* Waits for one worker, at most about a second; returns its slot and how
 * it ended: 0 results written, 1 the cells failed (its worker wrote why; a
 * group's first *written were written), 2
 * the worker was killed; jobs + 1 when the second passed (a progress tick),
 * jobs when the workers are lost. */
static size_t
reap(struct slot *slots, int jobs, int *how, int *written)
{
	const struct timespec pause = {0, 50000000};
	for (int polls = 0; polls < 20; polls++) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		for (int i = 0; pid > 0 && i < jobs; i++)
			if (slots[i].pid == pid) {
				int x = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				*how = x < 0 ? 2 : x != 0;
				*written = x >= WORKER_FAILED ? x - WORKER_FAILED : 0;
				return (size_t)i;
			}
		if (pid < 0 && errno != EINTR)
			return (size_t)jobs;
		if (pid == 0)
			nanosleep(&pause, NULL);
	}
	return (size_t)jobs + 1;
}

int
suite_run(const struct suite_cell *cells, size_t n, const char *dir, int jobs, int force,
	suite_run_fn run, suite_share_fn share, suite_done_fn done, void *arg, db_err *err)
{
	char(*paths)[4096] = db_calloc(n ? n : 1, sizeof *paths, err);
	struct slot *slots = db_calloc((size_t)jobs, sizeof *slots, err);
	const char **running = db_calloc((size_t)jobs, sizeof *running, err);
	char *launched = db_calloc(n ? n : 1, 1, err); /* by a group launched before */
	uint64_t *written_as = db_calloc(n ? n : 1, sizeof *written_as, err);
	int rc = paths && slots && running && launched && written_as ? suite_identity_check(err)
								      : DB_ENOMEM;
	for (size_t i = 0; i < n && share; i++)
		written_as[i] = written_key(&cells[i].cfg);
	struct suite_progress p = {.total = n};
	for (size_t i = 0; i < n && rc == DB_OK; i++)
		if ((rc = suite_cell_path(&cells[i], dir, paths[i], sizeof paths[i], err)) == DB_OK)
			rc = mkdir_parent(paths[i], err);
	size_t next = 0;
	while (rc == DB_OK && (next < n || p.running)) {
		if (next < n && launched[next]) { /* its group's worker has it */
			next++;
			continue;
		}
		if (next < n && p.running < (size_t)jobs) {
			struct stat st;
			int lock = -1;
			p.cell = &cells[next];
			if ((force || stat(paths[next], &st)) &&
				(rc = lock_cell(paths[next], &lock, &p, done, arg, err)))
				break;
			if (!force && !stat(paths[next], &st)) { /* rechecked under the lock */
				if (lock >= 0)
					close(lock);
				else
					remove_stale_unlocked(paths[next]);
				p.done++;
				p.cell = &cells[next], p.path = paths[next], p.status = 2;
				done(&p, arg);
				next++;
				continue;
			}
			int free_slot = 0, locks[SUITE_SHARE_MAX] = {lock};
			while (slots[free_slot].pid)
				free_slot++;
			struct slot *sl = &slots[free_slot];
			launched[next] = 1;
			group_collect(cells, paths, written_as, next, n, force, share, launched, &sl->g,
				locks);
			int threads = launch_threads(paths, launched, next, n, jobs, force);
			sl->pid = start(cells, paths, &sl->g, threads, run);
			/* the worker's copies hold the locks for as long as it lives */
			for (int i = 0; i < sl->g.n; i++)
				close(locks[i]);
			if (slots[free_slot].pid < 0)
				rc = db_fail(err, DB_EIO, "cannot start a worker: %s",
					strerror(errno));
			p.running++;
			next++;
			continue;
		}
		int how, written;
		size_t s = reap(slots, jobs, &how, &written);
		if (s == (size_t)jobs + 1) {
			size_t k = 0;
			for (int i = 0; i < jobs; i++)
				if (slots[i].pid)
					running[k++] = paths[slots[i].g.cell[0]];
			p.cell = NULL, p.path = NULL, p.status = 3;
			p.running_paths = running;
			done(&p, arg);
			continue;
		}
		if (s == (size_t)jobs) {
			rc = db_fail(err, DB_EIO, "lost track of the workers: %s", strerror(errno));
			break;
		}
		p.running--;
		for (int i = 0; i < slots[s].g.n; i++) {
			size_t c = slots[s].g.cell[i];
			/* a failed group's first `written` cells are done; a killed
			 * one's are those whose result is there (not under --force,
			 * where an older result may be) */
			struct stat st;
			int ok = how == 0 || (how == 1 && i < written) ||
				(how == 2 && !force && !stat(paths[c], &st));
			if (how == 2 && !ok)
				write_failed(paths[c], "the worker was killed by a signal");
			p.done++, p.failed += !ok;
			p.cell = &cells[c], p.path = paths[c], p.status = !ok;
			done(&p, arg);
		}
		slots[s].pid = 0;
	}
	free(written_as);
	free(launched);
	free(paths);
	free(slots);
	free(running);
	return rc;
}
