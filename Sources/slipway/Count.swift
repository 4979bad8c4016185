/// `1 step`, `2 steps`: every count in the output goes through here, so none says `1 steps`.
func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
