import Foundation
import HalftoneStore
import XCTest

@testable import HalftoneS3

/// Parsing of `--store`, credentials from the environment and profiles, and S3's XML.
final class S3ConfigurationTests: XCTestCase {
  func testStoreURL() throws {
    let location = try S3Location(
      store: "s3://archive-media/halftone/v1/", endpoint: "http://127.0.0.1:8333/", region: nil)
    XCTAssertEqual(location.bucket, "archive-media")
    XCTAssertEqual(location.prefix, "halftone/v1")
    XCTAssertEqual(location.endpoint, "http://127.0.0.1:8333")
    XCTAssertEqual(location.hostHeader, "127.0.0.1:8333")
    XCTAssertEqual(location.region, "us-east-1")
    XCTAssertEqual(location.key("blobs/x"), "halftone/v1/blobs/x")
    let root = try S3Location(store: "s3://bucket", endpoint: nil, region: "eu-west-1")
    XCTAssertEqual(root.prefix, "")
    XCTAssertEqual(root.endpoint, "https://s3.eu-west-1.amazonaws.com")
  }

  func testBadStoreURLsAreRefusedWithTheReason() {
    for (store, endpoint, expected) in [
      ("archive", nil, "s3://BUCKET/PREFIX"), ("s3://Upper/x", nil, "bucket name"),
      ("s3://ab", nil, "bucket name"), ("s3://bucket/x", "ftp://host", "http(s)://host"),
      ("s3://bucket/x", "http://host/path", "without a path"),
    ] as [(String, String?, String)] {
      XCTAssertThrowsError(try S3Location(store: store, endpoint: endpoint, region: nil)) {
        XCTAssertTrue("\($0)".contains(expected), "\(store): \($0)")
      }
    }
  }

  func testCredentialsFromEnvironmentThenProfile() throws {
    let env = try S3Credentials.resolve(environment: [
      "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_SESSION_TOKEN": "T",
    ])
    XCTAssertEqual(env, S3Credentials(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "T"))

    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "halftone-credentials-\(UUID().uuidString)")
    try """
    [default]
    aws_access_key_id = DEFAULTKEY
    aws_secret_access_key = defaultsecret
    # a comment
    [archive]
    aws_access_key_id=ARCHIVEKEY
    aws_secret_access_key = archive/secret
    """.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let profile = try S3Credentials.resolve(environment: [
      "AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "archive",
    ])
    XCTAssertEqual(
      profile, S3Credentials(accessKeyID: "ARCHIVEKEY", secretAccessKey: "archive/secret"))
    let fallback = try S3Credentials.resolve(environment: ["AWS_SHARED_CREDENTIALS_FILE": file.path]
    )
    XCTAssertEqual(fallback.accessKeyID, "DEFAULTKEY")
    XCTAssertThrowsError(
      try S3Credentials.resolve(environment: [
        "AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "missing",
      ])
    ) { XCTAssertTrue("\($0)".contains("profile [missing]"), "\($0)") }
    XCTAssertThrowsError(
      try S3Credentials.resolve(environment: ["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/x"])
    ) { XCTAssertTrue("\($0)".contains("AWS_ACCESS_KEY_ID"), "\($0)") }
  }

  func testXMLValuesAndEntities() {
    let xml = """
      <?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key><Size>12</Size></Contents>
      <Contents><Key>c&#x2F;d&#47;e</Key><Size>0</Size></Contents>
      <NextContinuationToken>tok&lt;1&gt;</NextContinuationToken><Empty/></ListBucketResult>
      """[...]
    let contents = S3XML.blocks("Contents", in: xml)
    XCTAssertEqual(contents.map { S3XML.value("Key", in: $0) }, ["a&b", "c/d/e"])
    XCTAssertEqual(S3XML.value("NextContinuationToken", in: xml), "tok<1>")
    XCTAssertEqual(S3XML.value("Empty", in: xml), "")
    XCTAssertNil(S3XML.value("Missing", in: xml))
  }
}
