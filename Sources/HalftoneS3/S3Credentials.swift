import Foundation
import HalftoneStore

/// An access key for an S3-compatible store, found the way every S3 tool finds one.
public struct S3Credentials: Sendable, Hashable {
  public var accessKeyID: String
  public var secretAccessKey: String
  /// Set for temporary credentials (`AWS_SESSION_TOKEN`).
  public var sessionToken: String?

  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }

  /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) when both are set;
  /// else the profile `AWS_PROFILE` (default `default`) of `AWS_SHARED_CREDENTIALS_FILE` (default
  /// `~/.aws/credentials`). Fails with `storage` saying where it looked.
  public static func resolve(environment: [String: String]) throws(StoreError) -> S3Credentials {
    if let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
      let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
    {
      let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
      return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }
    let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    let home = environment["HOME"] ?? NSHomeDirectory()
    let path =
      environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "\(home)/.aws/credentials"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw StoreError(
        kind: .storage,
        message: "no S3 credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and "
          + "\(path) cannot be read", path: path)
    }
    let values = profileValues(text, profile: profile)
    guard let key = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
      throw StoreError(
        kind: .storage,
        message: "no S3 credentials: profile [\(profile)] of \(path) has no aws_access_key_id "
          + "and aws_secret_access_key", path: path)
    }
    return S3Credentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: values["aws_session_token"])
  }

  /// The `key = value` lines of `[profile]` in an INI-style credentials file.
  static func profileValues(_ text: String, profile: String) -> [String: String] {
    var values: [String: String] = [:]
    var inProfile = false
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        inProfile = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces) == profile
        continue
      }
      guard inProfile, let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }
    return values
  }
}
