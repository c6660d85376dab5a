/// The version of ttusage, written into reports and shown by `--version`.
public enum TTUsageVersion {
    public static let current = "0.1.0"
}
