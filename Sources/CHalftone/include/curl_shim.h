// Non-variadic wrappers around libcurl for Swift (HalftoneFetch/Curl*.swift).
//
// Swift cannot call C variadic functions (curl_easy_setopt, curl_easy_getinfo,
// curl_multi_setopt), so each gets one typed setter per argument kind, the way
// swift-corelibs-foundation's CFURLSessionInterface does.
#pragma once
#include <curl/curl.h>

/// Calls curl_global_init(CURL_GLOBAL_DEFAULT) exactly once per process (thread-safe); returns its
/// result on every call.
CURLcode halftone_curl_global_init_once(void);

CURLcode halftone_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode halftone_curl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
/// Strings (copied by libcurl), slists, error buffers and callback user data.
CURLcode halftone_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode halftone_curl_easy_setopt_write_function(CURL *handle, curl_write_callback callback);
CURLcode halftone_curl_easy_setopt_header_function(CURL *handle, curl_write_callback callback);
CURLcode halftone_curl_easy_setopt_opensocket_function(CURL *handle,
                                                       curl_opensocket_callback callback);

CURLcode halftone_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
/// The string stays owned by the handle and lives until curl_easy_cleanup.
CURLcode halftone_curl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

CURLMcode halftone_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Takes the next finished transfer off the multi handle's message queue. Returns 1 and fills
/// `easy` and `result` when one was found, 0 when the queue is empty.
int halftone_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/// Copies the IP address in `address` (IPv4: 4 bytes, IPv6: 16 bytes) into `bytes` (room for
/// 16) and returns how many bytes it wrote; 0 for any other family.
int halftone_curl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char *bytes);
