import Foundation
import HalftoneArchive
import HalftoneCore
import HalftoneFetch
import HalftoneRecords
import HalftoneSpec
import HalftoneStore

/// The batch driver over article records: schedules their image references through the resolver
/// (`ImagePipeline`), at most `options.concurrency` at once, and turns each into exactly one
/// `ReferenceOutcome` (one report line). It resolves nothing itself.
///
/// Records are read on a thread of their own, only as slots free up (memory does not grow with
/// the archive). Resumable: whatever the index already holds is not requested again (unless
/// `refresh`).
public final class Prefetcher: Sendable {
  public let pipeline: ImagePipeline
  public let options: PrefetchOptions

  public init(pipeline: ImagePipeline, options: PrefetchOptions) {
    self.pipeline = pipeline
    self.options = options
  }

  /// A prefetcher over a resolver of its own for `cache`, `fetcher` and `archives`.
  public convenience init(
    cache: Cache, fetcher: Fetcher, archives: ArchiveRecovery? = nil, options: PrefetchOptions
  ) {
    self.init(
      pipeline: ImagePipeline(
        cache: cache, fetcher: fetcher, archives: archives, options: options.pipeline),
      options: options)
  }

  /// Processes every item. `onOutcome` is called once per reference and per bad record, from the
  /// calling task, in completion order.
  public func run<Items: Sequence>(
    _ items: Items, onOutcome: (ReferenceOutcome) -> Void
  ) async -> PrefetchSummary
  where Items.Element == RecordItem, Items: SendableMetatype, Items.Iterator: SendableMetatype {
    var summary = PrefetchSummary()
    let started = Date()
    // Status is decided against this instant, not against what a concurrent reference happened
    // to store first: see `ReferenceOutcome.Status`.
    let runStarted = pipeline.cache.now
    let records = BlockingIterator(items)
    await withTaskGroup(of: ReferenceOutcome.self) { group in
      var inFlight = 0
      func finish(_ outcome: ReferenceOutcome) {
        summary.add(outcome)
        onOutcome(outcome)
      }
      while let item = await records.next() {
        switch item {
        case .problem(let problem):
          if (options.shard?.index ?? 0) == 0 { finish(ReferenceOutcome(problem: problem)) }
        case .reference(let reference):
          if let shard = options.shard, !shard.contains(reference, rules: options.pipeline.urlRules)
          {
            continue
          }
          if inFlight >= options.concurrency, let done = await group.next() {
            inFlight -= 1
            finish(done)
          }
          group.addTask { await self.process(reference, runStarted: runStarted) }
          inFlight += 1
        }
      }
      for await done in group { finish(done) }
    }
    summary.seconds = Date().timeIntervalSince(started)
    return summary
  }

  /// Takes one image reference all the way to a stored thumbnail. `runStarted` (the cache's
  /// clock) separates what this run made (`ok`) from what an earlier one had (`skipped`).
  public func process(_ reference: ImageReference, runStarted: Date) async -> ReferenceOutcome {
    var outcome = ReferenceOutcome(reference: reference)
    do {
      let spec = try pipeline.spec(
        url: reference.url, declaredWidth: reference.declaredWidth,
        declaredHeight: reference.declaredHeight)
      outcome.describe(spec)
      let resolved = try await pipeline.thumbnail(
        for: spec, refresh: options.refresh,
        published: PublishedDate.parse(reference.article.publishedDateTime))
      outcome.fill(resolved, runStarted: runStarted)
    } catch {
      outcome.fail(error)
    }
    return outcome
  }
}
