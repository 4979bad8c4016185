import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate deploy.yml: keys, types, step kinds, target names, ${VAR}s. Runs nothing.")

    @Option(help: "The deploy spec. Default: the nearest deploy.yml in this folder or above.")
    var config: String?

    func run() throws {
        let reporter = Reporter(json: false)
        let spec: DeploySpec
        do {
            spec = try loadSpec(config)
            try Self.checkMigrationsFolders(spec)
        } catch { throw reporter.fail(.spec(error)) }
        var steps = spec.steps.count
        for target in spec.targets { steps += target.steps?.count ?? 0 }
        let names = spec.targets.map { $0.name + ($0.isLocal ? "" : " (remote)") }
        reporter.say("\(spec.file): ok: \(spec.targets.count) target\(spec.targets.count == 1 ? "" : "s")"
            + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))") + ", \(steps) step\(steps == 1 ? "" : "s").")
    }
}

extension Check {
    /// A local target that migrates without pulling code must have its migrations
    /// folder now: said as an error at `database.migrations`, the key to change.
    static func checkMigrationsFolders(_ spec: DeploySpec) throws(SpecError) {
        var errors: [SpecError] = []
        for target in spec.targets where target.isLocal {
            guard let plan = try? Planner(spec: spec, slipway: "slipway").plan(target: target.name),
                  plan.hasMigrate, !plan.hasGit else { continue }
            let named = spec.database.migrations ?? "migrations"
            let folder = named.hasPrefix("/") ? named : (plan.path == "." ? named : plan.path + "/" + named)
            guard !isDirectory(folder) else { continue }
            errors.append(SpecError(
                file: spec.file, at: spec.database.migrationsMark ?? spec.database.mark,
                message: "target '\(target.name)' migrates, but its migrations folder '\(folder)' does not exist; "
                    + "change database.migrations (relative to the target's path, '\(target.path.value)')"))
        }
        guard var first = errors.first else { return }
        first.more = Array(errors.dropFirst())
        throw first
    }
}

/// Reads and validates a deploy spec: `config`, else the nearest deploy.yml in this
/// folder or above (`SpecLocation`); `${VAR}`s come from the environment, then `.env`.
func loadSpec(_ config: String?) throws(SpecError) -> DeploySpec {
    guard let path = config ?? SpecLocation.find() else {
        throw SpecError(file: SpecLocation.fileName, message: "no deploy.yml in this folder or above it (up to the repository's top): "
            + "pass --config PATH, or create one with `slipway init`")
    }
    return try SpecFile.load(path)
}

/// This executable, for steps that run slipway on the target (`migrate`, `backup`).
func currentExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
