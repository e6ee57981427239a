import XCTest

final class HalftoneFetchTestsPlaceholder: XCTestCase {}
