import XCTest

final class HalftoneRecordsTestsPlaceholder: XCTestCase {}
