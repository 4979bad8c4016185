// The session extension's API is declared only under these macros; Debian's
// libsqlite3 is built with both, so defining them here exposes what it exports.
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift does not import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift does not import. Memory statistics
// take a global mutex on every allocation; slipway never reads them. Must run
// before the first connection opens (SQLITE_MISUSE afterwards, harmlessly).
static inline int csqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
