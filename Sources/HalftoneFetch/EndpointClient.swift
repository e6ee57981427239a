import CHalftone
import Foundation
import HalftoneCore

/// One request to a configured service endpoint (an object store's API), not to an origin.
public struct EndpointRequest: Sendable {
  public var method: String
  /// An absolute http or https URL, exactly as it is to be sent (signatures cover its bytes).
  public var url: String
  /// Header lines in the order sent; no line breaks in names or values.
  public var headers: [(name: String, value: String)]
  /// The request body (`PUT`, `POST`), sent with a `Content-Length`.
  public var body: Data?

  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

/// What the endpoint answered.
public struct EndpointResponse: Sendable {
  public var status: Int
  /// Header values by lowercased name (repeated fields joined with ", ").
  public var headers: [String: String]
  public var body: Data
}

/// Time and size bounds of an `EndpointClient`.
public struct EndpointLimits: Sendable {
  /// Seconds to set up a connection.
  public var connectTimeout: TimeInterval = 10
  /// Seconds for a whole request, body included.
  public var totalTimeout: TimeInterval = 300
  /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is aborted.
  public var lowSpeedLimit = 1024
  public var lowSpeedTime: TimeInterval = 30
  /// A response body over this many bytes aborts the request.
  public var maxResponseBytes = 256 << 20
  /// Idle connections kept for reuse (one per easy handle in the pool).
  public var maxIdleHandles = 16

  public init() {}
}

/// Blocking HTTP requests to one trusted endpoint, over libcurl, on the caller's thread (a store
/// thread: callers never run it on the curl thread, an event loop or the cooperative pool).
///
/// Unlike `Fetcher`, which fetches URLs taken from records, this talks to an endpoint named in
/// configuration (`--s3-endpoint`): the SSRF guard does not apply to it (a bucket on 127.0.0.1 or
/// an intranet is normal), nothing follows redirects, and nothing is retried here (the caller
/// knows which requests are safe to repeat). Easy handles are pooled, so connections are reused.
public final class EndpointClient: Sendable {
  public let limits: EndpointLimits
  private let idle = Locked<[EasyHandle]>([])

  public init(limits: EndpointLimits = EndpointLimits()) throws(FetchError) {
    guard halftone_curl_global_init_once() == CURLE_OK else {
      throw FetchError(kind: .internal, message: "curl_global_init failed", url: "")
    }
    self.limits = limits
  }

  /// Sends `request` and returns the response, whatever its status. Throws for transfers that
  /// produced no response (`connect`, `timeout`, `network`, `dns`, `too_large`, `internal`).
  public func perform(_ request: EndpointRequest) throws(FetchError) -> EndpointResponse {
    let handle: EasyHandle
    if let pooled = idle.withLock({ $0.popLast() }) {
      handle = pooled
    } else {
      handle = try EasyHandle()
    }
    defer {
      idle.withLock { handles in
        if handles.count < limits.maxIdleHandles { handles.append(handle) }
      }
    }
    return try handle.perform(request, limits: limits)
  }
}

/// One libcurl easy handle, used by one thread at a time (the pool hands it out exclusively).
private final class EasyHandle: @unchecked Sendable {
  private let easy: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>
  // Per-request state, touched only inside `perform` (callbacks run on the same thread).
  fileprivate var body = Data()
  fileprivate var head = ResponseHead()
  fileprivate var maxBytes = 0
  fileprivate var exceeded = false

  init() throws(FetchError) {
    guard let easy = curl_easy_init() else {
      throw FetchError(kind: .internal, message: "curl_easy_init failed", url: "")
    }
    self.easy = easy
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
  }

  deinit {
    curl_easy_cleanup(easy)
    errorBuffer.deallocate()
  }

  func perform(_ request: EndpointRequest, limits: EndpointLimits) throws(FetchError)
    -> EndpointResponse
  {
    body = Data()
    head = ResponseHead()
    exceeded = false
    maxBytes = limits.maxResponseBytes
    errorBuffer.pointee = 0
    // Keeps the upload's bytes alive and in place until the transfer is done.
    let payload = request.body ?? Data()
    let result = payload.withUnsafeBytes { bytes in
      Result { () throws(FetchError) in try perform(request, limits: limits, body: bytes) }
    }
    return try result.get()
  }

  private func perform(
    _ request: EndpointRequest, limits: EndpointLimits, body bytes: UnsafeRawBufferPointer
  ) throws(FetchError) -> EndpointResponse {
    var lines: UnsafeMutablePointer<curl_slist>? = nil
    defer { curl_slist_free_all(lines) }
    var options = CurlEasyOptions(easy)
    func check(_ name: String, _ code: CURLcode) { options.check(name, code) }
    func set(_ option: CURLoption, _ value: Int, _ name: String) {
      options.set(option, value, name)
    }
    func set(_ option: CURLoption, _ value: String, _ name: String) {
      options.set(option, value, name)
    }

    curl_easy_reset(easy)
    options.setCommon(
      url: request.url, errorBuffer: errorBuffer, connectTimeout: limits.connectTimeout,
      totalTimeout: limits.totalTimeout, lowSpeedLimit: limits.lowSpeedLimit,
      lowSpeedTime: limits.lowSpeedTime)
    set(CURLOPT_FOLLOWLOCATION, 0, "FOLLOWLOCATION")
    switch request.method {
    case "GET": set(CURLOPT_HTTPGET, 1, "HTTPGET")
    case "HEAD": set(CURLOPT_NOBODY, 1, "NOBODY")
    default: set(CURLOPT_CUSTOMREQUEST, request.method, "CUSTOMREQUEST")
    }
    if request.body != nil || request.method == "PUT" || request.method == "POST" {
      // POSTFIELDS sends the bytes in place (no copy); CUSTOMREQUEST above names the method.
      set(CURLOPT_POST, 1, "POST")
      check(
        "POSTFIELDSIZE_LARGE",
        halftone_curl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
      check(
        "POSTFIELDS",
        halftone_curl_easy_setopt_pointer(
          easy, CURLOPT_POSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
      // No "Expect: 100-continue" round trip, and no form content type of curl's own.
      lines = curl_slist_append(lines, "Expect:")
      if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
        lines = curl_slist_append(lines, "Content-Type:")
      }
    }
    for (name, value) in request.headers {
      let line = "\(name): \(value)"
      guard !line.contains(where: { $0 == "\r" || $0 == "\n" }) else {
        throw FetchError(
          kind: .internal, message: "request header \(name) contains a line break",
          url: request.url)
      }
      lines = curl_slist_append(lines, line)
    }
    check("HTTPHEADER", halftone_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, lines))
    let context = UnsafeMutableRawPointer(Unmanaged.passUnretained(self).toOpaque())
    check("WRITEFUNCTION", halftone_curl_easy_setopt_write_function(easy, onEndpointBody))
    check("WRITEDATA", halftone_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
    check("HEADERFUNCTION", halftone_curl_easy_setopt_header_function(easy, onEndpointHeader))
    check("HEADERDATA", halftone_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
    if let failure = options.failure {
      throw FetchError(kind: .internal, message: "libcurl refused \(failure)", url: request.url)
    }
    let code = curl_easy_perform(easy)
    guard code == CURLE_OK else { throw failure(code, request) }
    var responseCode = 0
    _ = halftone_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
    return EndpointResponse(
      status: responseCode != 0 ? responseCode : head.status, headers: head.headers, body: body)
  }

  private func failure(_ code: CURLcode, _ request: EndpointRequest) -> FetchError {
    let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : CurlErrors.text(code)
    if exceeded {
      return FetchError(
        kind: .tooLarge,
        message: "\(request.method) \(request.url): response over the \(maxBytes)-byte limit",
        url: request.url)
    }
    return FetchError(
      kind: CurlErrors.kind(for: code),
      message: "\(request.method) \(request.url): \(detail) (curl error \(code.rawValue))",
      url: request.url)
  }

  fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard body.count + bytes.count <= maxBytes else {
      exceeded = true
      return 0
    }
    body.append(contentsOf: bytes)
    return bytes.count
  }

  fileprivate func receiveHeader(_ line: String) { head.take(line) }
}

private let onEndpointBody: curl_write_callback = { data, size, count, context in
  let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
  return handle.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let onEndpointHeader: curl_write_callback = { data, size, count, context in
  let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
  let length = size * count
  handle.receiveHeader(
    String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self))
  return length
}
