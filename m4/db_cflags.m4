# DB_CHECK_CFLAG(FLAG, VARIABLE): append FLAG to VARIABLE when the C
# compiler accepts it without a warning.
AC_DEFUN([DB_CHECK_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  db_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS $1 -Werror"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); $2="$$2 $1"], [AC_MSG_RESULT([no])])
  CFLAGS=$db_save_CFLAGS
])
