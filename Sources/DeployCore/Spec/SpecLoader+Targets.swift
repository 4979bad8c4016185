import Yams

extension SpecLoader {
    func readTargets(_ node: Node, _ reader: NodeReader, _ refs: inout References) throws(SpecError) -> [Target] {
        var targets: [Target] = []
        for (key, value) in try reader.mapping(node, expected: "a mapping of target names to targets") {
            guard let name = key.string, !name.isEmpty,
                name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) })
            else {
                reader.found.errors.append(reader.error(key, "expected a target name (letters, digits, '-', '_', '.'), found \(reader.describe(key))"))
                continue
            }
            if let target = reader.recover({ () throws(SpecError) in try readTarget(name, key, value, reader, &refs) }) {
                targets.append(target)
            }
        }
        return targets
    }

    private func readTarget(_ name: String, _ keyNode: Node, _ node: Node, _ reader: NodeReader, _ refs: inout References) throws(SpecError) -> Target {
        var target = Target(name: name, path: "", line: keyNode.mark?.line ?? 0, column: keyNode.mark?.column ?? 0)
        var path: SpecString?
        var hostKey: Node?
        let errorsBefore = reader.found.errors.count
        for (key, value) in try reader.mapping(node, expected: "target '\(name)': a mapping with path (and host or hosts for a remote one)") {
            reader.recover { () throws(SpecError) in
                let option = try reader.key(key, allowed: Target.keys)
                switch option {
                case "path": path = try reader.specString(value, key: "\(name).path")
                case "host", "hosts":
                    if let hostKey { throw reader.error(key, "target '\(name)': give either host or hosts, not both (host is at line \(hostKey.mark?.line ?? 0))") }
                    hostKey = key
                    if option == "host" {
                        target.hosts = [try reader.specString(value, key: "\(name).host")]
                        if HostAddress.parse(target.hosts[0].value) == nil {
                            throw reader.error(value, "\(name).host: expected [user@]host[:port] (an IPv6 address as [::1]:2222), found '\(target.hosts[0].masked)'")
                        }
                    } else {
                        let items = try reader.sequence(value, expected: "\(name).hosts: a list of hosts")
                        for item in items { target.hosts.append(try reader.specString(item, key: "\(name).hosts")) }
                        for (item, host) in zip(items, target.hosts) where HostAddress.parse(host.value) == nil {
                            throw reader.error(item, "\(name).hosts: expected [user@]host[:port] (an IPv6 address as [::1]:2222), found '\(host.masked)'")
                        }
                        if items.isEmpty { throw reader.error(value, "\(name).hosts: expected at least one host") }
                    }
                case "user": target.user = try reader.specString(value, key: "\(name).user")
                case "port":
                    let port = try reader.integer(value, key: "\(name).port", minimum: 1)
                    guard port <= 65535 else { throw reader.error(value, "\(name).port: expected a port number 1–65535, found '\(port)'") }
                    target.port = port
                case "key": target.key = try reader.specString(value, key: "\(name).key")
                case "key_passphrase": target.keyPassphrase = try reader.specString(value, key: "\(name).key_passphrase")
                case "known_hosts": target.knownHosts = try reader.specString(value, key: "\(name).known_hosts")
                case "connect_timeout": target.connectTimeout = Double(try reader.integer(value, key: "\(name).connect_timeout", minimum: 1))
                case "rehearse_on":
                    let other = try reader.string(value, key: "\(name).rehearse_on")
                    guard other != name else { throw reader.error(value, "\(name).rehearse_on: a target cannot rehearse on itself") }
                    target.rehearseOn = other
                    refs.targets.append((other, value, "rehearse_on"))
                case "steps": target.steps = try readSteps(value, reader, &refs, path: "\(name).steps")
                default: target.parallel = try reader.integer(value, key: "\(name).parallel", minimum: 1)
                }
            }
        }
        if let path {
            target.path = path
        } else if reader.found.errors.count == errorsBefore {  // `pth: .` already said it
            reader.found.errors.append(
                reader.error(keyNode, "target '\(name)' has no path: add `path: /where/the/app/lives` (`.` is the folder of deploy.yml)"))
        }
        return target
    }
}

/// Target names used before all targets are known: checked once the whole file is read.
struct References {
    var targets: [(String, Node, String)] = []

    /// Adds its errors to `reader`'s. A target without steps is only reported when nothing
    /// else failed: a step with an error is left out, which would make it look empty.
    func check(_ spec: DeploySpec, _ reader: NodeReader, stepsKey: Node?) {
        let names = spec.targets.map(\.name)
        for (name, node, key) in targets where !names.contains(name) {
            let suggestion = Suggestion.closest(to: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            let known = names.isEmpty ? "no targets are defined" : "targets: \(names.joined(separator: ", "))"
            reader.found.errors.append(reader.error(node, "\(key): unknown target '\(name)'\(suggestion); \(known)"))
        }
        for target in spec.targets where target.steps == nil && spec.steps.isEmpty && reader.found.errors.isEmpty {
            reader.found.errors.append(SpecError(file: reader.file, line: target.line, column: target.column,
                            message: "target '\(target.name)' has no steps: add `steps:` at the top level or under the target"))
        }
    }
}
