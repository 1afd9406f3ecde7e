# DB_CHECK_CBLAS: use OpenBLAS through its CBLAS interface when pkg-config
# finds it, otherwise GSL's own cblas (always there with GSL).
# Sets BLAS_CFLAGS, BLAS_LIBS, DB_BLAS_NAME and defines DB_BLAS.
AC_DEFUN([DB_CHECK_CBLAS], [
  AC_ARG_WITH([openblas],
    [AS_HELP_STRING([--without-openblas], [use GSL's reference cblas even when OpenBLAS is present])],
    [], [with_openblas=check])
  db_have_openblas=no
  AS_IF([test "x$with_openblas" != xno], [
    PKG_CHECK_MODULES([OPENBLAS], [openblas], [db_have_openblas=yes], [db_have_openblas=no])
  ])
  AS_IF([test "x$with_openblas" = xyes && test "x$db_have_openblas" = xno],
    [AC_MSG_ERROR([--with-openblas given but pkg-config cannot find openblas])])
  AS_IF([test "x$db_have_openblas" = xyes], [
    BLAS_CFLAGS="$OPENBLAS_CFLAGS -DDB_HAVE_OPENBLAS=1"
    BLAS_LIBS="$OPENBLAS_LIBS"
    DB_BLAS_NAME="OpenBLAS"
    dnl GSL's pkg-config names its own cblas; drop it so one CBLAS is linked.
    GSL_LIBS=`echo "$GSL_LIBS" | sed 's/-lgslcblas//'`
  ], [
    BLAS_CFLAGS=""
    BLAS_LIBS="-lgslcblas"
    DB_BLAS_NAME="GSL cblas"
  ])
  AC_SUBST([BLAS_CFLAGS])
  AC_SUBST([BLAS_LIBS])
  AC_DEFINE_UNQUOTED([DB_BLAS], ["$DB_BLAS_NAME"], [the CBLAS implementation linked])
])
