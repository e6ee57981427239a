import CHalftone
import Foundation

/// Sets options on one libcurl easy handle and keeps the first one libcurl refused, for one
/// error after configuring instead of a check after every call.
struct CurlEasyOptions {
  let easy: UnsafeMutableRawPointer
  /// `CURLOPT_NAME: reason` of the first refused option.
  private(set) var failure: String?

  init(_ easy: UnsafeMutableRawPointer) { self.easy = easy }

  mutating func check(_ name: String, _ code: CURLcode) {
    if code != CURLE_OK, failure == nil { failure = "CURLOPT_\(name): \(CurlErrors.text(code))" }
  }

  mutating func set(_ option: CURLoption, _ value: Int, _ name: String) {
    check(name, halftone_curl_easy_setopt_long(easy, option, value))
  }

  /// libcurl copies string options, so a temporary C string is enough.
  mutating func set(_ option: CURLoption, _ value: String, _ name: String) {
    check(name, value.withCString { halftone_curl_easy_setopt_pointer(easy, option, $0) })
  }

  mutating func set(_ option: CURLoption, pointer: UnsafeRawPointer?, _ name: String) {
    check(name, halftone_curl_easy_setopt_pointer(easy, option, pointer))
  }

  /// What every Halftone transfer sets: the URL and error buffer, no signals, http(s) only, no
  /// proxy whatever the environment says (a proxy would connect on our behalf), and its time
  /// limits.
  mutating func setCommon(
    url: String, errorBuffer: UnsafeMutablePointer<CChar>, connectTimeout: TimeInterval,
    totalTimeout: TimeInterval, lowSpeedLimit: Int, lowSpeedTime: TimeInterval
  ) {
    func milliseconds(_ seconds: TimeInterval) -> Int { max(1, Int((seconds * 1000).rounded())) }
    set(CURLOPT_URL, url, "URL")
    set(CURLOPT_ERRORBUFFER, pointer: errorBuffer, "ERRORBUFFER")
    set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
    set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
    set(CURLOPT_PROXY, "", "PROXY")
    set(CURLOPT_NOPROXY, "*", "NOPROXY")
    set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(connectTimeout), "CONNECTTIMEOUT_MS")
    set(CURLOPT_TIMEOUT_MS, milliseconds(totalTimeout), "TIMEOUT_MS")
    set(CURLOPT_LOW_SPEED_LIMIT, lowSpeedLimit, "LOW_SPEED_LIMIT")
    set(CURLOPT_LOW_SPEED_TIME, max(1, Int(lowSpeedTime.rounded(.up))), "LOW_SPEED_TIME")
  }
}
