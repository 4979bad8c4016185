import Foundation
import Testing
import TestSupport
@testable import SSH

/// Options that log into `sshd` with its user key and trust its host key.
func options(for sshd: Sshd, _ change: (inout SSHOptions) -> Void = { _ in }) -> SSHOptions {
    var options = SSHOptions(
        endpoint: SSHEndpoint(user: sshd.user, host: sshd.address, port: sshd.port), keyFile: sshd.userKey,
        knownHostsFiles: [sshd.knownHosts])
    change(&options)
    return options
}

func connect(_ sshd: Sshd, _ change: (inout SSHOptions) -> Void = { _ in }) throws(SSHError) -> SSHSession {
    try SSHSession.connect(options(for: sshd, change))
}

/// The SSHError `body` throws, nil if it returns (another error is recorded as an issue).
func failure<T>(_ body: () throws -> T) -> SSHError? {
    do {
        _ = try body()
        return nil
    } catch let error as SSHError {
        return error
    } catch {
        Issue.record("not an SSHError: \(error)")
        return nil
    }
}

/// Runs `command` and keeps its output lines.
func collect(
    _ session: SSHSession, _ command: String, input: [UInt8]? = nil, timeout: Double? = nil, grace: Double = 5,
    holdStdin: Bool = false, onLine: (SSHOutputLine) -> Void = { _ in }
) throws(SSHError) -> (exit: SSHExit, lines: [SSHOutputLine]) {
    var lines: [SSHOutputLine] = []
    let exit = try session.run(command, input: input, timeout: timeout, grace: grace, holdStdin: holdStdin) { line in
        lines.append(line)
        onLine(line)
    }
    return (exit, lines)
}

func stdout(_ lines: [SSHOutputLine]) -> [String] { lines.filter { !$0.isError }.map(\.text) }
func stderr(_ lines: [SSHOutputLine]) -> [String] { lines.filter(\.isError).map(\.text) }

/// A fresh folder inside `sshd`'s temp folder, removed with it by `stop()`.
func scratch(_ sshd: Sshd, _ name: String) throws -> String {
    let path = sshd.directory + "/\(name)-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A fresh temp folder for one test (the test removes it).
func tempFolder(_ name: String = "ssh") throws -> String {
    let path = NSTemporaryDirectory() + "slipway-\(name)-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
