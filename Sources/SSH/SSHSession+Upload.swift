#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// SFTP upload of a local file to `remotePath`: written to `remotePath + ".partial"`, synced
    /// (fsync@openssh.com), given `mode` exactly, closed, then renamed over `remotePath`, so
    /// `remotePath` is never a half-written file.
    ///
    /// The rename runs as `mv -f` on the remote shell: SFTP version 3's rename, the one OpenSSH
    /// serves, refuses to replace an existing file (its sftp-server links, then unlinks), and the
    /// replacing posix-rename@openssh.com extension is not in libssh2 1.10
    /// (libssh2_sftp_posix_rename arrived in 1.11). rename(2) under `mv` is atomic.
    public func upload(localPath: String, to remotePath: String, mode: Int32 = 0o755) throws(SSHError) {
        try checkUsable(nil)
        if connection.isCancelled { throw SSHError(.cancelled, endpoint: endpoint) }
        let file = Glibc.open(localPath, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw SSHError(.localFile(path: localPath, String(cString: strerror(errno))), endpoint: endpoint) }
        defer { Glibc.close(file) }
        let partial = remotePath + ".partial"
        let sftp = try SFTPClient(connection: connection, target: remotePath)
        do throws(SSHError) {
            let handle = try sftp.create(partial, mode: mode)
            var open = true
            defer { if open { try? sftp.close(handle, path: partial) } }
            try copy(from: file, localPath: localPath, to: handle, sftp: sftp, path: partial)
            try sftp.sync(handle, path: partial)
            try sftp.setMode(handle, mode, path: partial)
            open = false
            try sftp.close(handle, path: partial)
        } catch {
            sftp.remove(partial)
            throw error
        }
        try rename(partial, to: remotePath)
    }

    private func copy(from file: Int32, localPath: String, to handle: OpaquePointer, sftp: SFTPClient, path: String) throws(SSHError) {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw SSHError(.localFile(path: localPath, String(cString: strerror(errno))), endpoint: endpoint) }
            if n == 0 { return }
            try sftp.write(handle, buffer[0..<n], path: path)
        }
    }

    private func rename(_ partial: String, to remotePath: String) throws(SSHError) {
        let command = "mv -f -- \(Self.quote(partial)) \(Self.quote(remotePath))"
        var messages: [String] = []
        let exit = try run(command) { messages.append($0.text) }
        guard exit == .exited(0) else {
            let why = messages.isEmpty ? "\(exit)" : messages.joined(separator: "; ")
            throw SSHError(.sftpFailed(path: remotePath, "renaming \(partial) over it failed: \(why)"), endpoint: endpoint, command: command)
        }
    }

    /// POSIX shell single quotes: every byte literal.
    static func quote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
