import CHalftone
import HalftoneCore

/// libcurl result codes → report kinds. The message always carries libcurl's own text
/// (CURLOPT_ERRORBUFFER), which names the host, port and what the socket said.
enum CurlErrors {
  /// The kind for a transfer that ended with `code`, before Halftone-specific refinements
  /// (blocked address, byte limit), which `CurlTransfer` applies because only it knows them.
  ///
  /// Resets and truncated bodies are `network`, not `connect`: the connection was made, and a
  /// retry may well succeed. `connect` means no connection could be made at all.
  static func kind(for code: CURLcode) -> ErrorKind {
    switch code {
    case CURLE_UNSUPPORTED_PROTOCOL: .unsupportedScheme  // also a redirect to ftp://, file://
    case CURLE_URL_MALFORMAT: .invalidURL
    case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
    case CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION,
      CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
      CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
      .connect
    case CURLE_OPERATION_TIMEDOUT: .timeout  // total, connect and low-speed timeouts alike
    case CURLE_TOO_MANY_REDIRECTS: .tooManyRedirects
    case CURLE_FILESIZE_EXCEEDED: .tooLarge  // Content-Length over CURLOPT_MAXFILESIZE_LARGE
    case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
      CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_WEIRD_SERVER_REPLY,
      CURLE_BAD_CONTENT_ENCODING, CURLE_READ_ERROR, CURLE_WRITE_ERROR, CURLE_QUIC_CONNECT_ERROR:
      .network
    case CURLE_OUT_OF_MEMORY, CURLE_FAILED_INIT, CURLE_BAD_FUNCTION_ARGUMENT,
      CURLE_UNKNOWN_OPTION, CURLE_NOT_BUILT_IN:
      .internal
    default: .network
    }
  }

  /// Whether a failure of this kind is worth another attempt: the network may heal, the URL will
  /// not.
  static func isTransient(_ kind: ErrorKind) -> Bool {
    switch kind {
    case .connect, .timeout, .network: true
    default: false
    }
  }

  static func text(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }
}
