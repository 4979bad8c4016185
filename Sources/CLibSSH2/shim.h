// libssh2 over Debian's libssh2-1-dev (1.10). Swift does not import function-like
// macros, so each one the SSH module needs has a static inline twin here, named
// cssh2_ + the macro's name without the libssh2_ prefix.
#include <libssh2.h>
#include <libssh2_sftp.h>

static inline LIBSSH2_SESSION *cssh2_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

/// libssh2_session_init with an abstract pointer: it reaches the I/O callbacks
/// (LIBSSH2_CALLBACK_RECV / SEND) as `*abstract`.
static inline LIBSSH2_SESSION *cssh2_session_init_abstract(void *abstract) {
    return libssh2_session_init_ex(NULL, NULL, NULL, abstract);
}

static inline int cssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, description, "");
}

static inline LIBSSH2_CHANNEL *cssh2_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_session(session);
}

static inline int cssh2_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_exec(channel, command);
}

static inline int cssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *username,
                                                   const char *privatekey, const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(session, username, (unsigned int)strlen(username),
                                                  NULL, privatekey, passphrase);
}

static inline LIBSSH2_SFTP_HANDLE *cssh2_sftp_open(LIBSSH2_SFTP *sftp, const char *path,
                                                   unsigned long flags, long mode) {
    return libssh2_sftp_open_ex(sftp, path, (unsigned int)strlen(path), flags, mode, LIBSSH2_SFTP_OPENFILE);
}

static inline int cssh2_sftp_fsetstat(LIBSSH2_SFTP_HANDLE *handle, LIBSSH2_SFTP_ATTRIBUTES *attrs) {
    return libssh2_sftp_fsetstat(handle, attrs);
}

static inline int cssh2_sftp_unlink(LIBSSH2_SFTP *sftp, const char *path) {
    return libssh2_sftp_unlink_ex(sftp, path, (unsigned int)strlen(path));
}
