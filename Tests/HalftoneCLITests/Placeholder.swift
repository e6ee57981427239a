import XCTest

final class HalftoneCLITestsPlaceholder: XCTestCase {}
