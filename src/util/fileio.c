#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *
fileio_open_regular(const char *path, db_err *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int saved = errno;
		db_fail(err, DB_EIO, "%s: cannot open: %s", path, strerror(saved));
		errno = saved;
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		db_fail(err, DB_EIO,
			"%s: not a regular file (a pipe, device or directory); "
			"expected a file",
			path);
		errno = EINVAL;
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *f = fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		db_fail(err, DB_EIO, "%s: cannot open: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

const char *
fileio_name_problem(const char *name)
{
	if (!*name)
		return "is empty";
	if (strlen(name) > FILEIO_NAME_MAX)
		return "is longer than 128 bytes";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "would name a directory above or at the results directory";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '/' || *p == '\\')
			return "holds a path separator ('/' or '\\')";
		if (*p < 0x20 || *p == 0x7f)
			return "holds a control character (TAB, newline, ...)";
	}
	return NULL;
}

const char *
fileio_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

int
afile_open(afile *a, const char *path, db_err *err)
{
	memset(a, 0, sizeof *a);
	if (strlen(path) >= sizeof a->path)
		return db_fail(err, DB_EINVAL, "%s: path too long", path);
	strcpy(a->path, path);
	snprintf(a->tmp, sizeof a->tmp, "%s.tmp.%ld", path, (long)getpid());
	a->f = fopen(a->tmp, "w");
	if (!a->f)
		return db_fail(err, DB_EIO, "%s: cannot create: %s", a->tmp, strerror(errno));
	return DB_OK;
}

/* Test hook (documented in README, "Testing"): DB_FAULT_BEFORE_RENAME=S
 * sleeps S seconds between a result file's complete temporary file and its
 * rename, so that a test can kill a writer exactly there. */
static void
fault_before_rename(const char *path)
{
	const char *s = getenv("DB_FAULT_BEFORE_RENAME");
	size_t n = strlen(path);
	if (s && *s && n > 7 && !strcmp(path + n - 7, ".result"))
		sleep((unsigned)atoi(s));
}

/* The rename is durable only once the directory entry is on disk. */
static int
sync_dir(const char *path, db_err *err)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (slash == path)
		strcpy(dir, "/");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int bad = fd < 0 || (fsync(fd) != 0 && errno != EINVAL);
	int saved = errno;
	if (fd >= 0)
		close(fd);
	return bad ? db_fail(err, DB_EIO, "%s: cannot sync the directory: %s", dir, strerror(saved))
		   : DB_OK;
}

int
afile_commit(afile *a, db_err *err)
{
	int bad = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
	int saved = errno;
	bad |= fclose(a->f) != 0;
	a->f = NULL;
	if (bad) {
		remove(a->tmp);
		return db_fail(err, DB_EIO, "%s: write failed: %s", a->tmp, strerror(saved));
	}
	fault_before_rename(a->path);
	if (rename(a->tmp, a->path) != 0) {
		saved = errno;
		remove(a->tmp);
		return db_fail(err, DB_EIO, "%s: cannot rename into place: %s", a->path,
			strerror(saved));
	}
	return sync_dir(a->path, err);
}

void
afile_abort(afile *a)
{
	if (a->f) {
		fclose(a->f);
		a->f = NULL;
		remove(a->tmp);
	}
}

int
fileio_mkdir_p(const char *dir, db_err *err)
{
	char buf[4096];
	if (strlen(dir) >= sizeof buf)
		return db_fail(err, DB_EINVAL, "%s: path too long", dir);
	strcpy(buf, dir);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return db_fail(err, DB_EIO, "%s: cannot create directory: %s", buf,
					strerror(errno));
			*p = c;
			if (!c)
				break;
		}
	}
	return DB_OK;
}

int
fileio_join(char *out, size_t n, const char *dir, const char *name, const char *suffix, db_err *err)
{
	int len = snprintf(out, n, "%s%s%s%s", dir, *dir ? "/" : "", name, suffix ? suffix : "");
	if (len < 0 || (size_t)len >= n)
		return db_fail(err, DB_EINVAL, "%s/%s%s: path too long", dir, name,
			suffix ? suffix : "");
	return DB_OK;
}
