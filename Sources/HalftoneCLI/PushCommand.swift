import ArgumentParser
import Foundation
import HalftoneS3
import HalftoneStore

/// `halftone push --store s3://…`: uploads a local cache (blobs and references) to a bucket.
struct PushCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Upload a local cache's blobs and references to an S3 bucket (--store).",
    discussion: """
      Every blob of --cache is re-hashed and uploaded unless the bucket has it; then every
      reference (URL → original, original + spec key → thumbnail) is written unless the bucket
      has it as it is. Idempotent and resumable: a second push sends nothing. Afterwards any
      machine can use the bucket with --store. Exit status 1 when a local blob was corrupt (it is
      not sent; run verify).
      """
  )

  @OptionGroup var cacheOption: CacheOption

  @Flag(help: "Print the report as JSON on stdout.")
  var json = false

  @Flag(help: "No progress output.")
  var quiet = false

  func run() async throws {
    guard cacheOption.storeSetting != nil else {
      throw CommandFailure.usage("push needs --store s3://BUCKET/PREFIX (or $HALFTONE_STORE)")
    }
    guard let target = try cacheOption.storeBackend() else { return }
    let local: Cache
    do { local = try Cache.open(root: cacheOption.root) } catch { throw CommandFailure(error) }
    var shown = Date.distantPast
    let report: PushReport
    do {
      report = try local.push(
        to: target, references: S3ReferenceBackend(client: target.client)
      ) { sofar in
        guard !quiet, Date().timeIntervalSince(shown) >= 1 else { return }
        shown = Date()
        FileHandle.standardError.write(
          Data("push: \(sofar.uploaded.count) blobs sent, \(sofar.present.count) present\n".utf8))
      }
    } catch {
      throw CommandFailure(error)
    }
    if json {
      printJSON(report)
    } else if !quiet {
      let sent = Quantities.describe(bytes: report.uploaded.bytes)
      var line = "push: \(report.uploaded.count) blobs sent (\(sent)), "
      line += "\(report.present.count) already there; "
      line += "\(report.referencesUploaded) references written, "
      line += "\(report.referencesPresent) already there"
      if !report.corrupt.isEmpty { line += "; \(report.corrupt.count) corrupt blobs not sent" }
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    if !report.corrupt.isEmpty { throw ExitCode.failure }
  }
}
