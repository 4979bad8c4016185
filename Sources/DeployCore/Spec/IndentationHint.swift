/// A hint for a YAML syntax error caused by indentation, the usual cause in a
/// hand-edited deploy.yml: names the line above and both indents, since YAML's
/// own message ("did not find expected key") does not say what is wrong.
enum IndentationHint {
    static func at(line: Int, in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let current = lines[line - 1]
        if current.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
            return "line \(line) is indented with a tab: YAML indents with spaces only"
        }
        guard let above = (0..<(line - 1)).reversed().first(where: { isContent(lines[$0]) }) else { return nil }
        let (mine, theirs) = (indent(current), indent(lines[above]))
        guard mine != theirs else { return nil }
        let shown = lines[above].drop { $0 == " " }
        return "line \(line) is indented \(spaces(mine)), line \(above + 1) above it (`\(shown.prefix(40))`) \(spaces(theirs)): "
            + "YAML nests by indentation, so the keys of one mapping must line up exactly"
    }

    static func isContent(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " }
        return !text.isEmpty && !text.hasPrefix("#")
    }

    static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    static func spaces(_ n: Int) -> String { n == 1 ? "1 space" : "\(n) spaces" }
}
