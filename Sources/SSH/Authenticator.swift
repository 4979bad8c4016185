import CLibSSH2
import Foundation

/// Public-key authentication, with a key file or with ssh-agent, after the host key was checked.
/// Its errors say what the server offers (https://libssh2.org/libssh2_userauth_list.html) and
/// what was tried, since "Permission denied (publickey)" alone sends people guessing.
struct Authenticator {
    let connection: Connection
    let options: SSHOptions
    let deadline: ContinuousClock.Instant

    private var session: OpaquePointer { connection.session }
    private var user: String { options.endpoint.user }
    private var endpoint: SSHEndpoint { options.endpoint }

    func authenticate() throws(SSHError) {
        guard let offered = try methods() else { return }
        guard offered.contains("publickey") else {
            throw SSHError(.authenticationFailed(offered: offered, tried: "nothing (slipway authenticates with public keys only)"), endpoint: endpoint)
        }
        if let keyFile = options.keyFile {
            try withKeyFile(keyFile, offered: offered)
        } else {
            try withAgent(offered: offered)
        }
    }

    /// The methods the server offers; nil if the "none" method already let us in.
    private func methods() throws(SSHError) -> [String]? {
        var list: UnsafeMutablePointer<CChar>?
        let rc = try retry {
            list = libssh2_userauth_list(session, user, UInt32(user.utf8.count))
            return list != nil || libssh2_userauth_authenticated(session) != 0 ? 0 : libssh2_session_last_errno(session)
        }
        if rc != 0 { throw connection.failure(rc, doing: "asking for the authentication methods", command: nil) }
        guard let list else { return nil }
        return String(cString: list).split(separator: ",").map(String.init)
    }

    /// https://libssh2.org/libssh2_userauth_publickey_fromfile_ex.html with the public key path
    /// NULL: libssh2 derives the public key from the private one.
    private func withKeyFile(_ path: String, offered: [String]) throws(SSHError) {
        let state = KeyFile.inspect(path)
        switch state {
        case .unreadable(let why):
            throw SSHError(.keyFile(path: path, why), endpoint: endpoint)
        case .encrypted where options.passphrase == nil:
            throw SSHError(.keyFile(path: path, "it is encrypted and no passphrase was given"), endpoint: endpoint)
        case .encrypted, .plain:
            break
        }
        let rc = try retry { cssh2_userauth_publickey_fromfile(session, user, path, options.passphrase) }
        switch rc {
        case 0:
            return
        case LIBSSH2_ERROR_FILE where state == .encrypted:
            throw SSHError(.keyFile(path: path, "wrong passphrase (libssh2 could not decrypt it)"), endpoint: endpoint)
        case LIBSSH2_ERROR_FILE:
            throw SSHError(.keyFile(path: path, "libssh2 cannot use it: \(LibSSH2.lastError(session))"), endpoint: endpoint)
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
            throw SSHError(.authenticationFailed(offered: offered, tried: "key file \(path) (not accepted)"), endpoint: endpoint)
        default:
            throw otherFailure(rc, offered: offered, tried: "key file \(path)")
        }
    }

    /// Each identity of the agent in turn (https://libssh2.org/libssh2_agent_userauth.html). The
    /// socket is set explicitly (libssh2_agent_set_identity_path) so that it can come from options.
    private func withAgent(offered: [String]) throws(SSHError) {
        let socket = options.agentSocket ?? ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] ?? ""
        guard !socket.isEmpty else {
            throw SSHError(.authenticationFailed(offered: offered, tried: "nothing: no key file was given and there is no SSH_AUTH_SOCK for ssh-agent"), endpoint: endpoint)
        }
        let refused = { (tried: String) in SSHError(.authenticationFailed(offered: offered, tried: tried), endpoint: endpoint) }
        guard let agent = libssh2_agent_init(session) else { throw refused("ssh-agent at \(socket) (libssh2_agent_init failed)") }
        defer {
            libssh2_agent_disconnect(agent)
            libssh2_agent_free(agent)
        }
        libssh2_agent_set_identity_path(agent, socket)
        guard libssh2_agent_connect(agent) == 0 else {
            throw refused("ssh-agent at \(socket), which cannot be reached (\(LibSSH2.lastError(session)))")
        }
        guard libssh2_agent_list_identities(agent) == 0 else {
            throw refused("ssh-agent at \(socket), which did not list its keys (\(LibSSH2.lastError(session)))")
        }
        var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var count = 0
        while libssh2_agent_get_identity(agent, &identity, previous) == 0, let current = identity {
            count += 1
            let rc = try retry { libssh2_agent_userauth(agent, user, current) }
            if rc == 0 { return }
            if LibSSH2.isConnectionGone(rc) { throw otherFailure(rc, offered: offered, tried: "ssh-agent identity \(count)") }
            previous = current
        }
        throw refused(count == 0
            ? "ssh-agent at \(socket), which holds no keys (add one with ssh-add)"
            : "\(count) \(count == 1 ? "identity" : "identities") from ssh-agent at \(socket) (none accepted)")
    }

    private func retry(_ operation: () -> Int32) throws(SSHError) -> Int32 {
        guard let rc = try connection.retry(until: deadline, command: nil, watchLiveness: false, operation) else {
            throw SSHError(.timedOut(.authentication, seconds: options.connectTimeout), endpoint: endpoint)
        }
        return rc
    }

    private func otherFailure(_ rc: Int32, offered: [String], tried: String) -> SSHError {
        let error = connection.failure(rc, doing: "authentication", command: nil)
        if error.isConnectionLost { return error }
        return SSHError(.authenticationFailed(offered: offered, tried: "\(tried): \(LibSSH2.lastError(session))"), endpoint: endpoint)
    }
}
