// libssh2 over Debian's libssh2-1-dev. Function-like macros are not imported
// by Swift; the remote-deploy issue adds static inline wrappers here.
#include <libssh2.h>
#include <libssh2_sftp.h>

static inline LIBSSH2_SESSION *cssh2_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}
