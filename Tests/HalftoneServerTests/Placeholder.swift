import XCTest

final class HalftoneServerTestsPlaceholder: XCTestCase {}
