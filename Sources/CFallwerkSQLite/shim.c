// Declarations only (include/CFallwerkSQLite.h); SwiftPM builds a C target from at least one source file.
#include "CFallwerkSQLite.h"
