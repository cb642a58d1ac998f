// Declarations (include/CFallwerkSQLite.h), and the one call Swift cannot make itself.
#include "CFallwerkSQLite.h"

int fallwerk_sqlite_stable_plans(sqlite3 *db) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(db, 1007 /* SQLITE_DBCONFIG_ENABLE_QPSG */, 1, &enabled);
}
