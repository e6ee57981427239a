import Foundation
import XCTest

@testable import HalftoneS3

/// AWS's published SigV4 examples for S3 ("Signature Calculations for the Authorization Header:
/// Transferring Payload in a Single Chunk"): same key, date and bucket, four requests.
final class SigV4Tests: XCTestCase {
  let signer = SigV4(
    credentials: S3Credentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    region: "us-east-1")
  let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  let host = "examplebucket.s3.amazonaws.com"
  let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  private func signature(_ headers: [(name: String, value: String)]) -> String? {
    guard let authorization = headers.first(where: { $0.name == "Authorization" })?.value,
      let range = authorization.range(of: "Signature=")
    else { return nil }
    return String(authorization[range.upperBound...])
  }

  func testGetObjectWithRange() {
    let signed = signer.sign(
      method: "GET", host: host, path: "/test.txt", query: [],
      headers: [("Range", "bytes=0-9")], payloadHash: emptyHash, date: date)
    XCTAssertEqual(
      signature(signed), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    let authorization = signed.first { $0.name == "Authorization" }?.value ?? ""
    XCTAssertTrue(
      authorization.hasPrefix(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "), authorization)
  }

  func testPutObject() {
    let body = Data("Welcome to Amazon S3.".utf8)
    let hash = SigV4.payloadHash(body)
    XCTAssertEqual(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    let signed = signer.sign(
      method: "PUT", host: host, path: "/test$file.text", query: [],
      headers: [
        ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
      ],
      payloadHash: hash, date: date)
    XCTAssertEqual(
      signature(signed), "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    XCTAssertEqual(SigV4.canonicalPath("/test$file.text"), "/test%24file.text")
  }

  func testGetBucketLifecycle() {
    let signed = signer.sign(
      method: "GET", host: host, path: "/", query: [("lifecycle", "")], headers: [],
      payloadHash: emptyHash, date: date)
    XCTAssertEqual(
      signature(signed), "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
  }

  func testListObjects() {
    let signed = signer.sign(
      method: "GET", host: host, path: "/", query: [("prefix", "J"), ("max-keys", "2")],
      headers: [], payloadHash: emptyHash, date: date)
    XCTAssertEqual(
      signature(signed), "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
  }

  func testQueryIsSortedEncodedAndWrittenWithEquals() {
    XCTAssertEqual(
      SigV4.canonicalQuery([("uploads", ""), ("prefix", "a/b c"), ("continuation-token", "x+y")]),
      "continuation-token=x%2By&prefix=a%2Fb%20c&uploads=")
  }

  func testSessionTokenIsSigned() {
    var withToken = signer
    withToken.credentials.sessionToken = "TOKEN"
    let signed = withToken.sign(
      method: "GET", host: host, path: "/k", query: [], headers: [], payloadHash: emptyHash,
      date: date)
    XCTAssertEqual(signed.first { $0.name == "x-amz-security-token" }?.value, "TOKEN")
    XCTAssertTrue(
      signed.first { $0.name == "Authorization" }?.value.contains(
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token") ?? false)
  }
}
