import Testing
import PropertyBased
@testable import MigrationCore

/// `DatabaseSchema.ordered` (Kahn's algorithm) against the definition it replaced:
/// repeatedly the first item in name order whose dependencies are placed, else the
/// first left (a cycle).
@Suite("Dump order: dependencies first, names break ties and cycles")
struct DumpOrderPropertyTests {
    private static func reference(_ items: [(String, [String])]) -> [String] {
        let sorted = items.sorted { $0.0.lowercased() < $1.0.lowercased() }
        let present = Set(sorted.map { $0.0.lowercased() })
        var waiting = sorted.map { ($0.0, Set($0.1.map { $0.lowercased() }).intersection(present).subtracting([$0.0.lowercased()])) }
        var placed: Set<String> = []
        var result: [String] = []
        while !waiting.isEmpty {
            let next = waiting.firstIndex { $0.1.isSubset(of: placed) } ?? 0
            let (name, _) = waiting.remove(at: next)
            placed.insert(name.lowercased())
            result.append(name)
        }
        return result
    }

    @Test("the same order as the definition, on random graphs with cycles and missing names")
    func sameAsDefinition() async {
        // Item i is named "t<i>" (some in upper case) and depends on a few of t0…t11, maybe itself or absent ones.
        let graph = Gen<Int>.value(in: 0...11).array(of: 0...3).array(of: 0...12)
        await propertyCheck(count: 200, input: graph) { deps in
            let items = deps.enumerated().map { i, d in (i % 3 == 0 ? "T\(i)" : "t\(i)", d.map { "t\($0)" }) }
            let got = DatabaseSchema.ordered(items, name: \.0, dependsOn: \.1).map(\.0)
            #expect(got == Self.reference(items), "\(items)")
        }
    }
}
