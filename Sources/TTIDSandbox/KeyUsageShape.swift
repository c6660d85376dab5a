/// The JSON layout of a successful `GET /keyusage` answer.
///
/// TT publishes no schema for it, so the sandbox can serve each layout a client must tolerate.
public enum KeyUsageShape: String, Sendable, CaseIterable {
    /// AWS API Gateway `GetUsage` wire format: the series map is named `values`.
    case values
    /// The AWS SDK spelling: the same object with the series map named `items`.
    case items
    /// A TT envelope around the `values` object: `{"status":"Ok","lastPage":"true","usage":{…}}`.
    case envelope
}
