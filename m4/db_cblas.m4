# DB_CHECK_CBLAS: the CBLAS to link.
# 1. OpenBLAS's single-threaded build when installed (Debian keeps it in
#    <libdir>/openblas-serial with its own openblas.pc).  Runs are parallel
#    across processes and each product must sum in a fixed order, so BLAS
#    threads are never wanted; the threaded build's idle workers also spin
#    on sched_yield and steal the other core.  An rpath makes the serial
#    library the one loaded at run time, not the system default.
# 2. Any other OpenBLAS that pkg-config finds (limited to one thread at run
#    time by blas_init()).
# 3. GSL's reference cblas.
# Sets BLAS_CFLAGS, BLAS_LIBS, DB_BLAS_NAME; defines DB_BLAS.
AC_DEFUN([DB_CHECK_CBLAS], [
  AC_ARG_WITH([openblas],
    [AS_HELP_STRING([--without-openblas], [use GSL's reference cblas even when OpenBLAS is present])],
    [], [with_openblas=check])
  db_blas=gsl
  AS_IF([test "x$with_openblas" != xno], [
    db_multiarch=`$CC -print-multiarch 2>/dev/null`
    db_serial_pc=""
    for db_dir in /usr/lib/$db_multiarch/openblas-serial/pkgconfig /usr/lib/openblas-serial/pkgconfig; do
      AS_IF([test -f "$db_dir/openblas.pc"], [db_serial_pc=$db_dir; break])
    done
    AS_IF([test -n "$db_serial_pc"], [
      db_serial_libdir=`PKG_CONFIG_PATH=$db_serial_pc $PKG_CONFIG --variable=libdir openblas`
      OPENBLAS_CFLAGS=`PKG_CONFIG_PATH=$db_serial_pc $PKG_CONFIG --cflags openblas`
      OPENBLAS_LIBS="`PKG_CONFIG_PATH=$db_serial_pc $PKG_CONFIG --libs openblas` -Wl,-rpath,$db_serial_libdir"
      db_blas=openblas-serial
    ], [
      PKG_CHECK_MODULES([OPENBLAS], [openblas], [db_blas=openblas], [db_blas=gsl])
    ])
  ])
  AS_IF([test "x$with_openblas" = xyes && test "x$db_blas" = xgsl],
    [AC_MSG_ERROR([--with-openblas given but no OpenBLAS was found])])
  AS_CASE([$db_blas],
    [openblas-serial], [DB_BLAS_NAME="OpenBLAS (serial)"],
    [openblas], [DB_BLAS_NAME="OpenBLAS (threaded build, 1 thread)"],
    [DB_BLAS_NAME="GSL cblas"])
  AS_IF([test "x$db_blas" != xgsl], [
    BLAS_CFLAGS="$OPENBLAS_CFLAGS -DDB_HAVE_OPENBLAS=1"
    BLAS_LIBS="$OPENBLAS_LIBS"
    dnl GSL's pkg-config names its own cblas; drop it so one CBLAS is linked.
    GSL_LIBS=`echo "$GSL_LIBS" | sed 's/-lgslcblas//'`
  ], [
    BLAS_CFLAGS=""
    BLAS_LIBS="-lgslcblas"
  ])
  AC_MSG_CHECKING([which CBLAS to link])
  AC_MSG_RESULT([$DB_BLAS_NAME])
  AC_SUBST([BLAS_CFLAGS])
  AC_SUBST([BLAS_LIBS])
  AC_DEFINE_UNQUOTED([DB_BLAS], ["$DB_BLAS_NAME"], [the CBLAS implementation linked])
])
