import Foundation
import HalftoneStore

/// An incomplete multipart upload, as ListMultipartUploads names it.
public struct MultipartUpload: Sendable, Hashable {
  public var key: String
  public var uploadID: String
  public var initiated: Date
}

extension S3Client {
  /// Starts a multipart upload of `key`; its upload id.
  public func createMultipartUpload(_ key: String) throws(StoreError) -> String {
    // `uploads=`, not `uploads`: every parameter is signed and sent with `=`.
    let response = try send(
      "POST", key: key, query: [("uploads", "")],
      headers: [("Content-Type", "application/octet-stream")], body: Data())
    let xml = String(decoding: response.body, as: UTF8.self)[...]
    guard response.status == 200, let id = S3XML.value("UploadId", in: xml), !id.isEmpty else {
      throw failure("CREATE MULTIPART", key, response)
    }
    return id
  }

  /// Uploads part `number` (1-based); its ETag.
  public func uploadPart(
    _ key: String, uploadID: String, number: Int, _ data: Data, checksum: [UInt8]
  ) throws(StoreError) -> String {
    let response = try send(
      "PUT", key: key, query: [("partNumber", "\(number)"), ("uploadId", uploadID)],
      headers: [("x-amz-checksum-sha256", Data(checksum).base64EncodedString())], body: data)
    guard response.status == 200, let etag = response.headers["etag"] else {
      throw failure("UPLOAD PART \(number)", key, response)
    }
    return etag
  }

  /// Completes the upload from `parts` (ETags in order). With `createOnly`, an existing object is
  /// kept and `false` returned.
  @discardableResult
  public func completeMultipartUpload(
    _ key: String, uploadID: String, parts: [String], createOnly: Bool
  ) throws(StoreError) -> Bool {
    var xml = "<CompleteMultipartUpload>"
    for (index, etag) in parts.enumerated() {
      let escaped = etag.replacingOccurrences(of: "&", with: "&amp;")
        .replacingOccurrences(of: "\"", with: "&quot;")
      xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(escaped)</ETag></Part>"
    }
    xml += "</CompleteMultipartUpload>"
    var headers: [(name: String, value: String)] = [("Content-Type", "application/xml")]
    if createOnly { headers.append(("If-None-Match", "*")) }
    let response = try send(
      "POST", key: key, query: [("uploadId", uploadID)], headers: headers, body: Data(xml.utf8))
    if createOnly, response.status == 412 { return false }
    // S3 may answer 200 with an <Error> body when completing fails late.
    guard response.status == 200,
      !String(decoding: response.body, as: UTF8.self).contains("<Error>")
    else { throw failure("COMPLETE MULTIPART", key, response) }
    return true
  }

  /// Aborts the upload, dropping its parts (an unknown upload is fine).
  public func abortMultipartUpload(_ key: String, uploadID: String) throws(StoreError) {
    let response = try send("DELETE", key: key, query: [("uploadId", uploadID)])
    guard response.status == 204 || response.status == 200 || response.status == 404 else {
      throw failure("ABORT MULTIPART", key, response)
    }
  }

  /// Incomplete uploads under `prefix`.
  public func listMultipartUploads(prefix: String) throws(StoreError) -> [MultipartUpload] {
    var uploads: [MultipartUpload] = []
    var markers: (key: String, id: String)?
    repeat {
      var query = [("uploads", ""), ("prefix", prefix)]
      if let markers {
        query += [("key-marker", markers.key), ("upload-id-marker", markers.id)]
      }
      let response = try send("GET", key: nil, query: query)
      guard response.status == 200 else { throw failure("LIST MULTIPART", prefix, response) }
      let xml = String(decoding: response.body, as: UTF8.self)[...]
      for entry in S3XML.blocks("Upload", in: xml) {
        guard let key = S3XML.value("Key", in: entry), let id = S3XML.value("UploadId", in: entry)
        else { continue }
        uploads.append(
          MultipartUpload(
            key: key, uploadID: id,
            initiated: S3XML.value("Initiated", in: entry).flatMap(ObjectInfo.isoDate)
              ?? .distantPast))
      }
      markers = nil
      if S3XML.value("IsTruncated", in: xml) == "true",
        let key = S3XML.value("NextKeyMarker", in: xml),
        let id = S3XML.value("NextUploadIdMarker", in: xml), !key.isEmpty
      {
        markers = (key, id)
      }
    } while markers != nil
    return uploads
  }
}
