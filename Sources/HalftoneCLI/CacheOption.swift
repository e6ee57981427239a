import ArgumentParser
import Foundation
import HalftoneS3
import HalftoneStore

/// `--cache DIR` and `--store s3://…`, shared by every command that uses the cache.
///
/// `--cache` (else `HALFTONE_CACHE`, else `./Cache`) is the local folder: the SQLite index and,
/// without `--store`, the blobs. With `--store s3://BUCKET/PREFIX` (else `HALFTONE_STORE`) blobs
/// live in that bucket, and the local folder keeps the index and the staging of uploads.
struct CacheOption: ParsableArguments {
  @Option(name: .customLong("cache"), help: "Cache root (default: $HALFTONE_CACHE, else ./Cache).")
  var path: String?

  @Option(
    name: .customLong("store"),
    help: ArgumentHelp(
      "Keep blobs in an S3-compatible bucket, s3://BUCKET/PREFIX (default: $HALFTONE_STORE); "
        + "the --cache folder then holds the index.", valueName: "s3://BUCKET/PREFIX"))
  var store: String?

  @Option(
    name: .customLong("s3-endpoint"),
    help: ArgumentHelp(
      "The bucket's S3 endpoint, http(s)://host[:port] (default: $AWS_ENDPOINT_URL_S3, "
        + "$AWS_ENDPOINT_URL, else AWS's endpoint of the region).", valueName: "URL"))
  var s3Endpoint: String?

  @Option(
    name: .customLong("s3-region"),
    help: ArgumentHelp(
      "The bucket's region, for signing (default: $AWS_REGION, $AWS_DEFAULT_REGION, else "
        + "us-east-1).", valueName: "REGION"))
  var s3Region: String?

  @Option(
    name: .customLong("local-cache-size"),
    help: ArgumentHelp(
      "With --store, for prefetch and serve: disk for local copies of the blobs read or written "
        + "lately, least recently used evicted (e.g. 2G; 0 for none).", valueName: "SIZE"))
  var localCacheSize = "1G"

  /// The grace period a maintenance command was given, else its default: 10 minutes locally,
  /// a day on a shared store (a writer there may be another machine, uploading a large blob
  /// over a slow link, or with a clock that is a little off).
  func grace(_ option: String?) throws -> TimeInterval {
    guard let option else { return storeSetting == nil ? 10 * 60 : 24 * 60 * 60 }
    guard let seconds = Quantities.seconds(option, allowingZero: true) else {
      throw CommandFailure.usage("--grace: expected an age like 10m or 1h, got '\(option)'")
    }
    return seconds
  }

  var root: URL {
    Cache.defaultRoot(option: path, environment: ProcessInfo.processInfo.environment)
  }

  /// Opens the cache; with a store, first checks that the bucket answers to the credentials
  /// (a wrong key or a missing bucket fails here, exit status 2, before any work).
  func open(keepingLocalCopies: Bool = false) throws -> Cache {
    var options = CacheOptions()
    if let backend = try storeBackend() {
      options.backend = backend
      options.references = S3ReferenceBackend(client: backend.client, blobs: backend)
      if keepingLocalCopies {
        guard let budget = localCacheSize == "0" ? 0 : Quantities.bytes(localCacheSize) else {
          throw CommandFailure.usage(
            "--local-cache-size: expected a size like 512M or 2G, got '\(localCacheSize)'")
        }
        if budget > 0 {
          do {
            options.backend = try LocalCopyBlobBackend(
              remote: backend, directory: root.appendingPathComponent("store-copies"),
              budget: budget)
          } catch {
            throw CommandFailure(error)
          }
        }
      }
    }
    do {
      return try Cache.open(root: root, options: options)
    } catch {
      throw CommandFailure(error)
    }
  }

  /// The S3 backend `--store` names, or `nil` for blobs in the cache folder.
  func storeBackend() throws -> S3BlobBackend? {
    let environment = ProcessInfo.processInfo.environment
    guard let store = storeSetting else { return nil }
    do {
      let location = try S3Location(
        store: store,
        endpoint: Self.setting(s3Endpoint, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
        region: Self.setting(s3Region, "AWS_REGION", "AWS_DEFAULT_REGION"))
      let client = try S3Client(
        location: location, credentials: try S3Credentials.resolve(environment: environment))
      try client.checkAccess()
      return try S3BlobBackend(
        client: client, stagingDirectory: root.appendingPathComponent("tmp"))
    } catch {
      throw CommandFailure(error, exitCode: 2)
    }
  }

  /// `--store`, else `HALFTONE_STORE`; `nil` when neither is set.
  var storeSetting: String? { Self.setting(store, "HALFTONE_STORE") }

  /// An option's value, else the first of the environment variables `names` that is set.
  private static func setting(_ option: String?, _ names: String...) -> String? {
    if let option, !option.isEmpty { return option }
    let environment = ProcessInfo.processInfo.environment
    return names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
  }
}
