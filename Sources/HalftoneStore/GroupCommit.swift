import Foundation

/// Group commit: callers on many threads hand over work that ends in an expensive barrier (an
/// fsync), and one of them, the leader, runs the barrier once for everything handed over so far.
///
/// A caller appends its items and waits. When no leader is active, the caller becomes the leader:
/// it takes every queued item (its own and those of the callers waiting behind it), runs
/// `publish` on them outside the lock, hands each caller its outcomes and wakes them. Items
/// queued while a leader works form the next group. Nobody waits on a timer: a lone caller is a
/// group of one and pays exactly what it would without grouping, and under concurrency the cost
/// of one barrier is shared by every caller that arrived during the previous one.
///
/// `publish` must return one outcome per item, in order.
final class GroupCommit<Item, Outcome>: @unchecked Sendable {
  private final class Ticket {
    let items: [Item]
    var outcomes: [Outcome]?
    init(_ items: [Item]) { self.items = items }
  }

  // Guards `queued` and `leaderActive`, and every ticket's `outcomes`.
  private let condition = NSCondition()
  private var queued: [Ticket] = []
  private var leaderActive = false

  /// Publishes `items` (in one group, possibly with other callers' items) and returns their
  /// outcomes in order once the group is done. Every caller passes the same `publish`: the
  /// leader's runs for the whole group.
  func commit(_ items: [Item], publish: ([Item]) -> [Outcome]) -> [Outcome] {
    let ticket = Ticket(items)
    condition.lock()
    defer { condition.unlock() }
    queued.append(ticket)
    while ticket.outcomes == nil {
      if leaderActive {
        condition.wait()
        continue
      }
      leaderActive = true
      let group = queued
      queued = []
      condition.unlock()
      let outcomes = publish(group.flatMap(\.items))
      condition.lock()
      var offset = 0
      for member in group {
        member.outcomes = Array(outcomes[offset..<offset + member.items.count])
        offset += member.items.count
      }
      leaderActive = false
      condition.broadcast()
    }
    return ticket.outcomes ?? []
  }
}
