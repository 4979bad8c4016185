/// Opens a target's place into the executor its pipeline runs through: this
/// machine, or one SSH connection to a host (host key checked, logged in), with
/// slipway's own binary made sure of there. What it checked is reported as preflight.
public struct HostOpener: Sendable {
    public var target: Target
    /// deploy.yml's folder: a relative `key:` or `known_hosts:` starts there.
    public var specFolder: String
    public var acceptNewHostKey: Bool
    /// The binary remote hosts run; nil for a local target.
    public var remoteSlipway: RemoteSlipway?

    public init(target: Target, specFolder: String, acceptNewHostKey: Bool, remoteSlipway: RemoteSlipway?) {
        self.target = target
        self.specFolder = specFolder
        self.acceptNewHostKey = acceptNewHostKey
        self.remoteSlipway = remoteSlipway
    }

    /// An opened host: its executor, and how to put slipway there when it is missing (nil: it is there).
    public struct Opened {
        public var executor: any Executor
        public var install: (@Sendable () -> Preflight.Check)?
    }

    /// `installNow`: make sure of slipway before anything runs (else the caller installs on demand,
    /// as a deploy does when the host's agent does not start: one SSH session fewer per deploy).
    public func open(_ place: Place, installNow: Bool, events: (DeployEvent) -> Void) -> Result<Opened, HostDeploy.Refusal> {
        guard case .remote(let address) = place else { return .success(Opened(executor: LocalExecutor(), install: nil)) }
        guard let slipway = remoteSlipway else { return .failure(.init("slipway's own binary could not be read to run it on the host")) }
        let remote = RemoteHost(address: address, target: target, specFolder: specFolder,
                                acceptNewHostKey: acceptNewHostKey, slipway: slipway)
        let ssh: SSHExecutor
        do {
            ssh = try remote.connect()
        } catch {
            events(.preflight(check: "connect", ok: false, detail: error.description))
            return .failure(.init(error.description))
        }
        events(.preflight(check: "connect", ok: true, detail: "\(ssh.session.endpoint), host key known"))
        ssh.supervisor = slipway.word
        guard installNow else { return .success(Opened(executor: ssh, install: { remote.install(on: ssh) })) }
        let installed = remote.install(on: ssh)
        events(installed.event)
        guard installed.ok else {
            ssh.disconnect()
            return .failure(.init(installed.detail))
        }
        return .success(Opened(executor: ssh, install: nil))
    }
}
