import XCTest

final class HalftoneTestsPlaceholder: XCTestCase {}
