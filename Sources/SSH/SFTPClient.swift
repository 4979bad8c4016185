import CLibSSH2

/// The few SFTP operations an upload needs, in non-blocking mode, each retried on EAGAIN with
/// the same arguments as libssh2 requires (https://libssh2.org/libssh2_sftp_write.html).
final class SFTPClient {
    let connection: Connection
    /// The remote path the errors name (the upload's destination).
    let target: String
    private let sftp: OpaquePointer

    /// https://libssh2.org/libssh2_sftp_init.html: the "sftp" subsystem on a new channel.
    init(connection: Connection, target: String) throws(SSHError) {
        self.connection = connection
        self.target = target
        let session = connection.session
        var result: OpaquePointer?
        let rc = try connection.retry(command: nil) {
            result = libssh2_sftp_init(session)
            return result == nil ? libssh2_session_last_errno(session) : 0
        }
        guard let result else {
            let error = connection.failure(rc ?? LIBSSH2_ERROR_TIMEOUT, doing: "starting SFTP", command: nil)
            throw error.isConnectionLost ? error : SSHError(.sftpFailed(path: target, "cannot start SFTP: \(LibSSH2.lastError(session))"), endpoint: connection.endpoint)
        }
        sftp = result
    }

    deinit {
        guard !connection.isClosed, connection.lost == nil else { return }
        _ = try? connection.retry(until: ContinuousClock.now + .seconds(2), command: nil) { libssh2_sftp_shutdown(sftp) }
    }

    /// Opens `path` for writing, created or truncated, with `mode` (before the server's umask).
    func create(_ path: String, mode: Int32) throws(SSHError) -> OpaquePointer {
        var handle: OpaquePointer?
        let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC)
        let rc = try connection.retry(command: nil) {
            handle = cssh2_sftp_open(sftp, path, flags, Int(mode))
            return handle == nil ? libssh2_session_last_errno(connection.session) : 0
        }
        guard let handle else { throw failure(rc ?? LIBSSH2_ERROR_TIMEOUT, "cannot create \(path)") }
        return handle
    }

    /// Writes all of `bytes`; libssh2 may take fewer per call.
    func write(_ handle: OpaquePointer, _ bytes: ArraySlice<UInt8>, path: String) throws(SSHError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            var written = 0
            let rc = try connection.retry(command: nil) {
                let n = bytes[offset...].withUnsafeBytes { rest in
                    libssh2_sftp_write(handle, rest.baseAddress?.assumingMemoryBound(to: CChar.self), rest.count)
                }
                if n >= 0 { written = n }
                return n >= 0 ? 0 : Int32(n)
            }
            guard rc == 0 else { throw failure(rc ?? LIBSSH2_ERROR_TIMEOUT, "writing \(path)") }
            offset += written
        }
    }

    /// fsync@openssh.com (https://libssh2.org/libssh2_sftp_fsync.html), so the renamed file's
    /// bytes are on disk; a server without the extension is not an error.
    func sync(_ handle: OpaquePointer, path: String) throws(SSHError) {
        let rc = try connection.retry(command: nil) { libssh2_sftp_fsync(handle) } ?? LIBSSH2_ERROR_TIMEOUT
        if rc == 0 || (rc == LIBSSH2_ERROR_SFTP_PROTOCOL && libssh2_sftp_last_error(sftp) == UInt(LIBSSH2_FX_OP_UNSUPPORTED)) { return }
        throw failure(rc, "syncing \(path)")
    }

    /// Sets the permission bits exactly (the mode given at open passes through the server's umask).
    func setMode(_ handle: OpaquePointer, _ mode: Int32, path: String) throws(SSHError) {
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
        attributes.permissions = UInt(mode)
        let rc = try connection.retry(command: nil) { cssh2_sftp_fsetstat(handle, &attributes) } ?? LIBSSH2_ERROR_TIMEOUT
        guard rc == 0 else { throw failure(rc, "setting the mode of \(path)") }
    }

    func close(_ handle: OpaquePointer, path: String) throws(SSHError) {
        let rc = try connection.retry(command: nil) { libssh2_sftp_close_handle(handle) } ?? LIBSSH2_ERROR_TIMEOUT
        guard rc == 0 else { throw failure(rc, "closing \(path)") }
    }

    /// Best effort: a failed upload should not leave its partial file behind.
    func remove(_ path: String) {
        guard !connection.isClosed, connection.lost == nil else { return }
        _ = try? connection.retry(until: ContinuousClock.now + .seconds(2), command: nil) { cssh2_sftp_unlink(sftp, path) }
    }

    private func failure(_ rc: Int32, _ doing: String) -> SSHError {
        if rc == LIBSSH2_ERROR_SFTP_PROTOCOL {
            let status = libssh2_sftp_last_error(sftp)
            return SSHError(.sftpFailed(path: target, "\(doing): \(Self.statusName(status)) (SFTP status \(status))"), endpoint: connection.endpoint)
        }
        let error = connection.failure(rc, doing: doing, command: nil)
        if error.isConnectionLost { return error }
        return SSHError(.sftpFailed(path: target, "\(doing): \(LibSSH2.lastError(connection.session))"), endpoint: connection.endpoint)
    }

    /// SSH_FX_* names from draft-ietf-secsh-filexfer-02 §7, the version OpenSSH speaks.
    static func statusName(_ status: UInt) -> String {
        switch status {
        case 1: "end of file"
        case 2: "no such file or folder"
        case 3: "permission denied"
        case 4: "failure"
        case 5: "bad message"
        case 6: "no connection"
        case 7: "connection lost"
        case 8: "operation unsupported"
        default: "error"
        }
    }
}
