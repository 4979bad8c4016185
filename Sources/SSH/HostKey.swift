import CLibSSH2
import Foundation

/// The key a server offered in the handshake, with the names OpenSSH uses for its type.
struct HostKey: Sendable, Equatable {
    /// The SSH wire blob, as known_hosts stores it (in base64).
    let blob: [UInt8]
    /// LIBSSH2_HOSTKEY_TYPE_*.
    let type: Int32
    let sha256: [UInt8]

    init(blob: [UInt8], type: Int32, sha256: [UInt8]) {
        self.blob = blob
        self.type = type
        self.sha256 = sha256
    }

    /// The session's host key (https://libssh2.org/libssh2_session_hostkey.html) and its SHA256
    /// hash (https://libssh2.org/libssh2_hostkey_hash.html, 32 raw bytes); nil before the handshake.
    init?(session: OpaquePointer) {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0,
            let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256)
        else { return nil }
        blob = Array(UnsafeRawBufferPointer(start: key, count: length))
        self.type = type
        sha256 = Array(UnsafeRawBufferPointer(start: hash, count: 32))
    }

    /// As OpenSSH prints it: "SHA256:" + base64 without its "=" padding.
    var fingerprint: String {
        "SHA256:" + Data(sha256).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    var base64: String { Data(blob).base64EncodedString() }

    private var names: (algorithm: String, label: String, keyscan: String, mask: Int32) {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: ("ssh-rsa", "RSA", "rsa", LIBSSH2_KNOWNHOST_KEY_SSHRSA)
        case LIBSSH2_HOSTKEY_TYPE_DSS: ("ssh-dss", "DSA", "dsa", LIBSSH2_KNOWNHOST_KEY_SSHDSS)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: ("ecdsa-sha2-nistp256", "ECDSA", "ecdsa", LIBSSH2_KNOWNHOST_KEY_ECDSA_256)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: ("ecdsa-sha2-nistp384", "ECDSA", "ecdsa", LIBSSH2_KNOWNHOST_KEY_ECDSA_384)
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: ("ecdsa-sha2-nistp521", "ECDSA", "ecdsa", LIBSSH2_KNOWNHOST_KEY_ECDSA_521)
        case LIBSSH2_HOSTKEY_TYPE_ED25519: ("ssh-ed25519", "ED25519", "ed25519", LIBSSH2_KNOWNHOST_KEY_ED25519)
        default: ("unknown", "UNKNOWN", "", LIBSSH2_KNOWNHOST_KEY_UNKNOWN)
        }
    }

    /// The key type as known_hosts writes it: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa".
    var algorithm: String { names.algorithm }
    /// As OpenSSH names it in messages: "ED25519", "ECDSA", "RSA".
    var label: String { names.label }
    /// ssh-keyscan's `-t` value.
    var keyscanType: String { names.keyscan }
    /// LIBSSH2_KNOWNHOST_KEY_*: libssh2_knownhost_checkp compares only keys of this type.
    var knownHostType: Int32 { names.mask }
}
