import Foundation
import SQLiteKit

/// Runs the real `slipway` binary as a process, in a temp project folder that
/// is removed when the test lets go of it.
final class CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var jsonLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    /// The binary built next to the test bundle (`swift build --build-tests` builds both).
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["SLIPWAY_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("slipway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("slipway").path
        return bundle
    }()

    let root: String

    init() {
        root = NSTemporaryDirectory() + "slipway-cli-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: root + "/migrations", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var database: String { root + "/app.db" }

    func write(_ relative: String, _ text: String) {
        let path = root + "/" + relative
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func migration(_ name: String, _ sql: String) { write("migrations/" + name, sql) }

    func read(_ relative: String) -> String { (try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)) ?? "" }

    func files(in relative: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + relative)) ?? []).sorted()
    }

    /// Starts `slipway args…` in the project folder without waiting.
    /// `executable`: another program than slipway (a shell that sets a limit first).
    func start(_ args: [String], environment: [String: String] = [:], stdin: FileHandle? = nil, in folder: String? = nil,
               executable: String? = nil) throws -> (Process, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: folder ?? root)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SLIPWAY_DB")
        env["NO_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Output goes to files, so a full pipe can never block the child.
        let id = UUID().uuidString
        let out = root + "/.out-\(id)", err = root + "/.err-\(id)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Starts slipway with stdout on a pipe and reads it until one of `markers` appears
    /// (or it ends), so a test can act at a known point of the run without sleeping.
    func startAndWait(for markers: [String], _ args: [String], environment: [String: String] = [:]) throws
        -> (process: Process, stdout: Pipe, seen: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !markers.contains(where: seen.contains) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return (process, stdout, seen)
    }

    @discardableResult
    func run(_ args: String..., environment: [String: String] = [:]) throws -> Result {
        try run(args, environment: environment)
    }

    /// `in`: the folder to run in (default: the project folder).
    func run(_ args: [String], environment: [String: String] = [:], in folder: String? = nil, executable: String? = nil) throws -> Result {
        let (process, out, err) = try start(args, environment: environment, in: folder, executable: executable)
        process.waitUntilExit()
        return collect(process, out, err)
    }

    func collect(_ process: Process, _ out: String, _ err: String) -> Result {
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    func query(_ sql: String) throws -> [[SQLiteValue]] {
        try Connection(path: database, mode: .readOnly).query(sql)
    }
}
