extension DatabaseSchema {
    /// The schema as SQL that rebuilds it in an empty database: `PRAGMA user_version`
    /// when set, each table (parents before the tables whose foreign keys name them)
    /// followed by its indexes, then views (each after the views it reads), then
    /// triggers. Statements are SQLite's stored text; the order depends on names
    /// only, so two dumps of one schema are byte-identical.
    public var dump: String {
        var blocks: [String] = []
        if userVersion != 0 { blocks.append("PRAGMA user_version = \(userVersion);") }
        let created = Dictionary(grouping: indexes.filter { $0.sql != nil }) { $0.table.lowercased() }
        for table in Self.ordered(tables, name: \.name, dependsOn: \.referencedTables) {
            let own = (created[table.name.lowercased()] ?? []).sorted { $0.name.lowercased() < $1.name.lowercased() }
            blocks.append(([table.sql] + own.compactMap(\.sql)).map { $0 + ";" }.joined(separator: "\n"))
        }
        let viewNames = views.map { $0.name.lowercased() }
        for view in Self.ordered(views, name: \.name, dependsOn: { v in Self.mentioned(viewNames, in: v.sql) }) {
            blocks.append(view.sql + ";")
        }
        for trigger in triggers.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
            blocks.append(trigger.sql + ";")
        }
        return blocks.map { $0 + "\n" }.joined(separator: "\n")
    }

    /// Which of `names` (lowercased) occur as words of `sql`. A name in a string
    /// literal counts too: it only moves a view later, never makes the order invalid.
    static func mentioned(_ names: [String], in sql: String) -> [String] {
        names.filter(words(in: sql).contains)
    }

    /// The words of `sql`, unquoted and lowercased (comments left out).
    static func words(in sql: String) -> Set<String> {
        var words = SQLWords(sql)
        var seen: Set<String> = []
        while let w = words.next() { seen.insert(SQLWords.unquote(w).lowercased()) }
        return seen
    }

    /// `items` in dependency order, the smallest name first among those whose
    /// dependencies are placed; a cycle (foreign keys may form one) is broken by name.
    static func ordered<T>(_ items: [T], name: (T) -> String, dependsOn: (T) -> [String]) -> [T] {
        // Each name lowercased once, not at every comparison of the sort.
        let keyed = items.map { (key: name($0).lowercased(), item: $0) }.sorted { $0.key < $1.key }
        let sorted = keyed.map(\.item)
        var index: [String: Int] = [:]
        for (i, k) in keyed.enumerated() where index[k.key] == nil { index[k.key] = i }
        // Kahn's algorithm over positions in name order: `ready` stays sorted, so the smallest name goes first.
        var waitingOn = [Int](repeating: 0, count: sorted.count)
        var dependents = [[Int]](repeating: [], count: sorted.count)
        for (i, k) in keyed.enumerated() {
            let own = k.key
            for d in Set(dependsOn(k.item).map { $0.lowercased() }) where d != own {
                guard let j = index[d] else { continue }
                waitingOn[i] += 1
                dependents[j].append(i)
            }
        }
        var ready = sorted.indices.filter { waitingOn[$0] == 0 }
        var placed = [Bool](repeating: false, count: sorted.count)
        var nextUnplaced = 0
        var result: [T] = []
        while result.count < sorted.count {
            let i: Int
            if ready.isEmpty {  // a cycle: the smallest name left goes first
                while placed[nextUnplaced] { nextUnplaced += 1 }
                i = nextUnplaced
            } else {
                i = ready.removeFirst()
            }
            placed[i] = true
            result.append(sorted[i])
            for d in dependents[i] where !placed[d] {
                waitingOn[d] -= 1
                if waitingOn[d] == 0 { ready.insert(d, at: ready.firstIndex { $0 > d } ?? ready.endIndex) }
            }
        }
        return result
    }
}
