import XCTest

final class HalftoneSpecTestsPlaceholder: XCTestCase {}
