import CHalftone
import Foundation
import HalftoneCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one attempt produced, already free of libcurl types.
struct TransferOutcome: Sendable {
  /// Set when the transfer itself failed (no usable HTTP response).
  var failure: FetchError?
  /// Final HTTP status (0 when no response arrived).
  var status = 0
  /// Reason phrase of the final status line, for messages.
  var reason = ""
  /// Headers of the final response, names lowercased.
  var headers: [String: String] = [:]
  /// The body, or with a sink only its first `CurlTransfer.headBytes` (the rest went to the sink).
  var body = Data()
  /// Bytes of the body received in all.
  var bodyBytes = 0
  var effectiveURL = ""
}

/// One attempt at one URL on a libcurl easy handle.
///
/// Configured on the caller's thread, then handed to `CurlMulti`, whose thread alone touches the
/// handle and the mutable state below until the transfer completes (libcurl: one thread per
/// handle at a time). The callbacks run on that thread, inside `curl_multi_perform`.
final class CurlTransfer: @unchecked Sendable {
  let url: String
  let hostKey: String
  private let easy: UnsafeMutableRawPointer
  private let maxBytes: Int
  private let addressPolicy: AddressPolicy
  /// Redirects may only go to this host (`FetchRequest.redirectHost`).
  private let redirectHost: String?
  /// A `Location` this transfer refused to follow (multi thread).
  private var refusedRedirect: String?
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var requestHeaders: UnsafeMutablePointer<curl_slist>?

  /// Hands the body to the sink instead of `body` (which then keeps only its head).
  private var writer: BodyWriterQueue?

  // Multi-thread state.
  private var body = Data()
  private var bodyBytes = 0
  private var exceededByteLimit = false
  private var head = ResponseHead()
  private var status: Int { head.status }
  private var headers: [String: String] { head.headers }
  private var refusedAddresses: [String] = []
  /// Set by the fetching task before submission; resumed once by the multi thread.
  var continuation: CheckedContinuation<TransferOutcome, Never>?

  private let cancelFlag = Locked(false)
  var isCancelled: Bool { cancelFlag.withLock { $0 } }
  func markCancelled() { cancelFlag.withLock { $0 = true } }

  var handle: UnsafeMutableRawPointer { easy }

  /// How much of a sunk body is also kept in memory: enough to sniff the format and read an
  /// image header (markers, EXIF, most ICC profiles) without the sink.
  static let headBytes = 256 << 10

  /// A transfer of `request`. With a `sink`, the body goes to it through a writer queue of
  /// `policy.bodyBufferBytes`; `unpause` is asked to resume the transfer when that queue, full,
  /// has room again.
  init(
    request: FetchRequest, target: CurlURL, policy: FetchPolicy,
    sink: (any FetchBodySink)? = nil, unpause: @escaping @Sendable (CurlTransfer) -> Void = { _ in }
  ) throws(FetchError) {
    url = request.url
    hostKey = target.hostKey
    maxBytes = request.byteLimit(policy)
    addressPolicy = policy.addressPolicy
    redirectHost = request.redirectHost
    guard let easy = curl_easy_init() else {
      throw FetchError(kind: .internal, message: "curl_easy_init failed", url: request.url)
    }
    self.easy = easy
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    try configure(request, target, policy)
    if let sink {
      writer = BodyWriterQueue(sink: sink, capacity: policy.bodyBufferBytes) {
        [weak self] in
        if let self { unpause(self) }
      }
    }
  }

  deinit {
    // Only reached once CurlMulti has removed the handle (or never added it).
    curl_easy_cleanup(easy)
    curl_slist_free_all(requestHeaders)
    errorBuffer.deallocate()
  }

  private func configure(_ request: FetchRequest, _ target: CurlURL, _ policy: FetchPolicy)
    throws(FetchError)
  {
    var options = CurlEasyOptions(easy)
    func check(_ name: String, _ code: CURLcode) { options.check(name, code) }
    func set(_ option: CURLoption, _ value: Int, _ name: String) {
      options.set(option, value, name)
    }
    func set(_ option: CURLoption, _ value: String, _ name: String) {
      options.set(option, value, name)
    }

    options.setCommon(
      url: request.url, errorBuffer: errorBuffer, connectTimeout: policy.connectTimeout,
      totalTimeout: policy.totalTimeout, lowSpeedLimit: policy.lowSpeedLimit,
      lowSpeedTime: policy.lowSpeedTime)
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "REDIR_PROTOCOLS_STR")
    set(CURLOPT_FOLLOWLOCATION, 1, "FOLLOWLOCATION")
    set(CURLOPT_MAXREDIRS, policy.maxRedirects, "MAXREDIRS")
    if target.scheme == "https" {
      // HTTP/2 where ALPN offers it; PIPEWAIT makes new transfers wait for the connection being
      // set up and multiplex on it rather than open more connections.
      set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS), "HTTP_VERSION")
      set(CURLOPT_PIPEWAIT, 1, "PIPEWAIT")
    } else {
      // Plain http is HTTP/1.1 (no h2c). Saying so matters: with 2TLS and PIPEWAIT libcurl holds
      // every further transfer until the first response shows the connection cannot multiplex.
      set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1), "HTTP_VERSION")
    }
    // Refuses early when Content-Length is known; the write callback enforces it otherwise
    // (on 7.88 this option does nothing for bodies of unknown length).
    check(
      "MAXFILESIZE_LARGE",
      halftone_curl_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes)))
    // "identity" asks for no compression (images are compressed already) but still makes libcurl
    // decode a gzip/deflate body a server sends anyway, so the write callback counts decoded
    // bytes and a gzip bomb hits the byte limit.
    set(CURLOPT_ACCEPT_ENCODING, "identity", "ACCEPT_ENCODING")
    set(CURLOPT_USERAGENT, policy.userAgent, "USERAGENT")

    var lines = [request.body == .image ? "Accept: image/*, */*;q=0.5" : "Accept: */*"]
    lines += request.headers
    if let etag = request.ifNoneMatch { lines.append("If-None-Match: \(etag)") }
    if let date = request.ifModifiedSince { lines.append("If-Modified-Since: \(date)") }
    for line in lines {
      guard !containsLineBreak(line) else {
        throw FetchError(
          kind: .internal, message: "request header \(quoted(line)) contains a line break",
          url: request.url)
      }
      requestHeaders = curl_slist_append(requestHeaders, line)
    }
    check("HTTPHEADER", halftone_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, requestHeaders))

    let context = UnsafeMutableRawPointer(Unmanaged.passUnretained(self).toOpaque())
    check("WRITEFUNCTION", halftone_curl_easy_setopt_write_function(easy, onBody))
    check("WRITEDATA", halftone_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
    check("HEADERFUNCTION", halftone_curl_easy_setopt_header_function(easy, onHeader))
    check("HEADERDATA", halftone_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
    check("OPENSOCKETFUNCTION", halftone_curl_easy_setopt_opensocket_function(easy, onOpenSocket))
    check(
      "OPENSOCKETDATA", halftone_curl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, context))

    if let failure = options.failure {
      throw FetchError(kind: .internal, message: "libcurl refused \(failure)", url: request.url)
    }
  }

  // MARK: Callbacks (multi thread)

  /// Takes one piece of the body and returns what the write callback answers libcurl: the
  /// piece's length, 0 to abort, or `CURL_WRITEFUNC_PAUSE` to be offered it again later.
  fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard bodyBytes + bytes.count <= maxBytes else {
      exceededByteLimit = true
      return 0
    }
    if let writer {
      // Only an image response goes to the sink: the body of a 404 or a 503 is not stored, and
      // a local problem writing it (a full disk) must not hide the status and its retry.
      if (200..<300).contains(status) {
        switch writer.offer(bytes) {
        case .accepted: break
        case .full: return Int(CURL_WRITEFUNC_PAUSE)
        case .failed: return 0
        }
      }
      if body.count < Self.headBytes {
        body.append(contentsOf: bytes.prefix(Self.headBytes - body.count))
      }
    } else {
      if body.isEmpty { reserveDeclaredLength() }
      body.append(contentsOf: bytes)
    }
    bodyBytes += bytes.count
    return bytes.count
  }

  /// Lets a transfer paused by a full writer queue go on (multi thread).
  func unpause() {
    _ = curl_easy_pause(easy, Self.continueAll)
  }

  /// `CURLPAUSE_CONT`, a macro Swift does not import.
  private static let continueAll: Int32 = 0

  /// Calls `then` with `outcome` once the sink has every piece the transfer accepted, or with a
  /// `storage` failure if the sink failed (a full disk, a stalled then failing write). A failed
  /// attempt's unwritten pieces are dropped. At once for a transfer without a sink.
  func whenBodyWritten(
    _ outcome: TransferOutcome, then: @escaping @Sendable (TransferOutcome) -> Void
  ) {
    guard let writer else { return then(outcome) }
    let url = url
    let usable = outcome.failure == nil && (200..<300).contains(outcome.status)
    writer.close(discarding: !usable) { error in
      var outcome = outcome
      if let error {
        let hop =
          outcome.effectiveURL != url ? " (redirected to \(outcome.effectiveURL))" : ""
        outcome.failure = .storing(error, url: url, hop: hop)
      }
      then(outcome)
    }
  }

  /// Orders the sink's last write before the caller's next use of it (see
  /// `BodyWriterQueue.settle`); call once the transfer's continuation has resumed.
  func settleBody() { writer?.settle() }

  /// Sizes the body buffer once from `Content-Length`, so a multi-megabyte original is not copied
  /// through a series of doublings (each briefly holding two buffers). Only a hint: the length
  /// may lie (the byte limit, not this, bounds what is kept), and it is the compressed length when
  /// curl decodes a `Content-Encoding`, so then nothing is reserved.
  private func reserveDeclaredLength() {
    guard headers["content-encoding"] == nil,
      let declared = headers["content-length"].flatMap({ Int($0) }),
      declared > 0, declared <= maxBytes
    else { return }
    // Capped: a lying length must not make every transfer reserve the whole byte limit.
    body.reserveCapacity(min(declared, 32 << 20))
  }

  /// Takes one header line; `false` aborts the transfer (a redirect off `redirectHost`).
  fileprivate func receiveHeader(_ line: String) -> Bool {
    head.take(line)
    guard let redirectHost, (300..<400).contains(head.status),
      let location = head.headers["location"], refusedRedirect == nil
    else { return true }
    if Self.locationHost(location, relativeTo: url) == redirectHost { return true }
    refusedRedirect = location
    return false
  }

  /// The host a `Location` value points to: the request's own for a relative one.
  static func locationHost(_ location: String, relativeTo url: String) -> String? {
    let value = location.trimmingCharacters(in: .whitespaces)
    if value.hasPrefix("//") { return (try? CurlURL("http:" + value))?.host }
    // Absolute when it starts with a scheme; a relative path may hold "://" (an archive's
    // replay path names the archived URL).
    let scheme = value.prefix { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    if !scheme.isEmpty, value.dropFirst(scheme.count).hasPrefix(":") {
      return (try? CurlURL(value))?.host
    }
    return (try? CurlURL(url))?.host
  }

  fileprivate func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
    var raw = [UInt8](repeating: 0, count: 16)
    let count = Int(halftone_curl_sockaddr_ip(address, &raw))
    guard let ip = IPAddress(bytes: Array(raw.prefix(count))) else {
      refusedAddresses.append("an address of family \(address.pointee.family)")
      return CURL_SOCKET_BAD
    }
    if let why = addressPolicy.refusal(for: ip) {
      refusedAddresses.append("\(ip) (\(why))")
      return CURL_SOCKET_BAD
    }
    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
  }

  // MARK: Completion (multi thread, after the handle left the multi)

  /// Reads the result off the handle. `code` is what curl_multi_info_read reported.
  func outcome(_ code: CURLcode) -> TransferOutcome {
    var outcome = TransferOutcome()
    var responseCode = 0
    _ = halftone_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
    var effective: UnsafePointer<CChar>? = nil
    _ = halftone_curl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
    outcome.status = responseCode != 0 ? responseCode : status
    outcome.reason = head.reason
    outcome.headers = headers
    outcome.body = body
    outcome.bodyBytes = bodyBytes
    outcome.effectiveURL = effective.map { String(cString: $0) } ?? url
    if code != CURLE_OK { outcome.failure = failure(code, effectiveURL: outcome.effectiveURL) }
    return outcome
  }

  private func failure(_ code: CURLcode, effectiveURL: String) -> FetchError {
    let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : CurlErrors.text(code)
    let hop = effectiveURL != url ? " (redirected to \(effectiveURL))" : ""
    if let refusedRedirect, let redirectHost {
      return FetchError(
        kind: .redirectRefused,
        message: "\(url)\(hop) redirected to \(quoted(refusedRedirect)), off \(redirectHost): "
          + "this request follows redirects on that host only",
        url: url, httpStatus: status)
    }
    if code == CURLE_COULDNT_CONNECT, !refusedAddresses.isEmpty {
      return FetchError(
        kind: .blockedAddress,
        message: "refused to connect to \(refusedAddresses.joined(separator: ", ")) for \(url)"
          + "\(hop): internal addresses are blocked (FetchPolicy.allowPrivateAddresses)",
        url: url)
    }
    if exceededByteLimit {
      return FetchError(
        kind: .tooLarge,
        message: "body of \(url)\(hop) exceeded the \(maxBytes)-byte limit"
          + (headers["content-encoding"].map { " (counted after decoding \($0))" } ?? "")
          + "; transfer aborted",
        url: url)
    }
    if code == CURLE_FILESIZE_EXCEEDED {
      let declared = headers["content-length"].map { "declares Content-Length \($0)" }
      return FetchError(
        kind: .tooLarge,
        message: "\(url)\(hop) \(declared ?? "is larger than the limit"), over the "
          + "\(maxBytes)-byte limit; refused before downloading",
        url: url)
    }
    return FetchError(
      kind: CurlErrors.kind(for: code),
      message: "\(url)\(hop): \(detail) (curl error \(code.rawValue))",
      url: url)
  }
}

// Plain C function pointers: no captures; the transfer travels in the user-data pointer.

private let onBody: curl_write_callback = { data, size, count, context in
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
  let length = size * count
  return transfer.receive(UnsafeRawBufferPointer(start: data, count: length))
}

private let onHeader: curl_write_callback = { data, size, count, context in
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
  let length = size * count
  let bytes = UnsafeRawBufferPointer(start: data, count: length)
  return transfer.receiveHeader(String(decoding: bytes, as: UTF8.self)) ? length : 0
}

private let onOpenSocket: curl_opensocket_callback = { context, _, address in
  guard let context, let address else { return CURL_SOCKET_BAD }
  return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().openSocket(address)
}
