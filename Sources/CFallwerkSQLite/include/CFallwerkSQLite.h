// The few SQLite functions Fallwerk's direct reader calls (DirectSQLiteReader, decision 0026).
// They are those of the SQLite that sqlite-nio already links into every Fallwerk binary, under the
// `sqlite_nio_` prefix sqlite-nio gives them: no second SQLite, nothing to install. sqlite-nio does not
// offer its C module as a product, so the declarations are repeated here, exactly as its header has them.
#ifndef CFALLWERK_SQLITE_H
#define CFALLWERK_SQLITE_H

#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef int64_t fallwerk_sqlite3_int64;
typedef uint64_t fallwerk_sqlite3_uint64;

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **ppDb, int flags, const char *zVfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *, int ms);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *);
int sqlite_nio_sqlite3_prepare_v3(sqlite3 *db, const char *zSql, int nByte, unsigned int prepFlags,
                                  sqlite3_stmt **ppStmt, const char **pzTail);
int sqlite_nio_sqlite3_bind_blob64(sqlite3_stmt *, int, const void *, fallwerk_sqlite3_uint64, void (*)(void *));
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *, int, double);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *, int, fallwerk_sqlite3_int64);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *, int);
int sqlite_nio_sqlite3_bind_text64(sqlite3_stmt *, int, const char *, fallwerk_sqlite3_uint64, void (*)(void *),
                                   unsigned char encoding);
int sqlite_nio_sqlite3_clear_bindings(sqlite3_stmt *);
int sqlite_nio_sqlite3_column_count(sqlite3_stmt *pStmt);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *, int N);
int sqlite_nio_sqlite3_step(sqlite3_stmt *);
int sqlite_nio_sqlite3_stmt_readonly(sqlite3_stmt *pStmt);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *, int iCol);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *, int iCol);
fallwerk_sqlite3_int64 sqlite_nio_sqlite3_column_int64(sqlite3_stmt *, int iCol);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *, int iCol);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *, int iCol);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *, int iCol);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *pStmt);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *pStmt);
int sqlite_nio_sqlite3_db_config(sqlite3 *, int op, ...);
int sqlite_nio_sqlite3_stmt_status(sqlite3_stmt *, int op, int resetFlg);
void *sqlite_nio_sqlite3_wal_hook(sqlite3 *, int (*)(void *, sqlite3 *, const char *, int), void *);
int sqlite_nio_sqlite3_wal_checkpoint_v2(sqlite3 *db, const char *zDb, int eMode, int *pnLog, int *pnCkpt);

/// SQLite's SQLITE_TRANSIENT: SQLite copies a bound text or blob before the call returns.
static inline void (*fallwerk_sqlite_transient(void))(void *) { return (void (*)(void *))-1; }

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) for `db`: a kept
/// statement keeps its plan whatever values are bound. Without it SQLite marks some statements to be
/// prepared again whenever a value is bound (when a value could choose another plan), and a kept statement
/// was parsed and planned anew on every call. `sqlite3_db_config` takes variable arguments, which Swift
/// cannot pass: hence this C function (shim.c). Returns SQLite's result code.
int fallwerk_sqlite_stable_plans(sqlite3 *db);

#endif
