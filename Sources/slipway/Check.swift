import ArgumentParser
import DeployCore

#if canImport(Glibc)
import Glibc
#endif

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate deploy.yml: keys, types, step kinds, target names, ${VAR}s. Runs nothing.")

    @Option(help: "The deploy spec.")
    var config: String = "deploy.yml"

    func run() throws {
        let reporter = Reporter(json: false)
        let spec: DeploySpec
        do { spec = try loadSpec(config) } catch { throw reporter.fail(.spec(error)) }
        var steps = spec.steps.count
        for target in spec.targets { steps += target.steps?.count ?? 0 }
        let names = spec.targets.map { $0.name + ($0.isLocal ? "" : " (remote)") }
        reporter.say("\(config): ok: \(spec.targets.count) target\(spec.targets.count == 1 ? "" : "s")"
            + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))") + ", \(steps) step\(steps == 1 ? "" : "s").")
    }
}

/// Reads and validates a deploy spec; `${VAR}`s come from this process's environment.
func loadSpec(_ path: String) throws(SpecError) -> DeploySpec {
    guard let text = readText(path) else {
        throw SpecError(file: path, message: "cannot read the deploy spec: \(String(cString: strerror(errno)))")
    }
    return try SpecLoader().load(text: text, file: path)
}

/// This executable, for steps that run slipway on the target (`migrate`, `backup`).
func currentExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
