import Testing
@testable import DeployCore

@Suite("HostAddress: [user@]host[:port] entries of hosts:")
struct HostAddressTests {
    @Test("names, IPv4 and IPv6 addresses, with and without user and port; the target's defaults fill in")
    func parses() {
        #expect(HostAddress.parse("example.com") == HostAddress(user: nil, host: "example.com", port: 22))
        #expect(HostAddress.parse("root@139.59.237.215") == HostAddress(user: "root", host: "139.59.237.215", port: 22))
        #expect(HostAddress.parse("deploy@web1:2222") == HostAddress(user: "deploy", host: "web1", port: 2222))
        #expect(HostAddress.parse("[::1]:2222") == HostAddress(user: nil, host: "::1", port: 2222))
        #expect(HostAddress.parse("me@[fe80::1]") == HostAddress(user: "me", host: "fe80::1", port: 22))
        #expect(HostAddress.parse("::1") == HostAddress(user: nil, host: "::1", port: 22))
        #expect(HostAddress.parse("web1", user: "deploy", port: 2200) == HostAddress(user: "deploy", host: "web1", port: 2200))
        #expect(HostAddress.parse("root@web1:22", user: "deploy", port: 2200) == HostAddress(user: "root", host: "web1", port: 22))
    }

    @Test("malformed entries and shell metacharacters are refused")
    func refuses() {
        for bad in ["", "@web1", "web1:", "web1:0", "web1:70000", "web1:x", "[::1", "[::1]x", "web1;rm -rf /", "$(id)", "a b", "`x`"] {
            #expect(HostAddress.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("descriptions bracket IPv6 hosts")
    func describes() {
        #expect(HostAddress(user: "root", host: "::1", port: 2222).description == "root@[::1]:2222")
        #expect(HostAddress(user: nil, host: "web1", port: 22).description == "web1:22")
    }

    @Test("a bad hosts: entry is a spec error at its line and column")
    func specError() {
        let yaml = """
            targets:
              prod:
                hosts: [web1, "web2;reboot"]
                path: /srv/app
            steps:
              - run: true
            """
        #expect {
            try SpecLoader().load(text: yaml, file: "deploy.yml")
        } throws: { error in
            guard let e = error as? SpecError else { return false }
            return e.line == 3 && e.column == 19 && e.description.contains("expected [user@]host[:port]")
        }
    }
}
