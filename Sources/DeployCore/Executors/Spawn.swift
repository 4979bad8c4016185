#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawnp` with the settings every step needs: a new process group, stdin
/// from /dev/null, stdout and stderr into one pipe, default signal dispositions
/// (slipway ignores SIGINT/SIGTERM while it forwards them, and ignored signals
/// survive exec), the command's folder and extra environment.
enum Spawn {
    struct Failure: Error { var message: String }

    /// Where a spawned process's stdout and stderr go.
    enum Output {
        /// Both into this descriptor (a pipe the executor reads).
        case descriptor(Int32)
        /// Both appended to this file.
        case file(String)
    }

    static func start(_ command: Command, outputFD: Int32, inputFD: Int32? = nil) -> Result<pid_t, Failure> {
        guard !command.arguments.isEmpty else { return .failure(Failure(message: "empty command")) }
        if let dir = command.workingDirectory, access(dir, X_OK) != 0 {
            return .failure(Failure(message: "cannot enter '\(dir)': \(LocalExecutor.errorText())"))
        }
        var environment = SpecLoader.processEnvironment()
        for variable in command.env { environment[variable.name] = variable.value.value }
        return start(command.arguments, directory: command.workingDirectory, environment: environment,
                     output: .descriptor(outputFD), input: inputFD)
    }

    /// `argv` (looked up on PATH) with exactly `environment`, in its own process group,
    /// stdin from /dev/null (or `input`) and no descriptor of slipway's beyond 0–2.
    static func start(_ argv: [String], directory: String?, environment: [String: String], output: Output,
                      input: Int32? = nil) -> Result<pid_t, Failure> {
        guard let program = argv.first else { return .failure(Failure(message: "empty command")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        switch output {
        case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 1)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let directory { _ = addChdir(&actions, directory) }
        // Descriptors slipway inherited without close-on-exec (a parent's pipes, sockets) must not
        // leak into steps: a daemon started by a step would hold them open for as long as it runs.
        _ = addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cargv in
            withCStrings(envp) { cenv in posix_spawnp(&pid, program, &actions, &attributes, cargv, cenv) }
        }
        guard rc == 0 else {
            let reason = rc == ENOENT ? "'\(program)' not found (is it installed and on PATH?)" : "\(program): \(LocalExecutor.errorText(rc))"
            return .failure(Failure(message: reason))
        }
        return .success(pid)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// glibc ≥ 2.29 has it, but it is a GNU extension that Swift's Glibc module does not import.
    @_silgen_name("posix_spawn_file_actions_addchdir_np")
    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

    /// glibc ≥ 2.34; a GNU extension like `addchdir_np`.
    @_silgen_name("posix_spawn_file_actions_addclosefrom_np")
    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
}
