/* stub: being written */
typedef int db_stub_unit;
