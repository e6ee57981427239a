import XCTest

final class HalftoneStoreTestsPlaceholder: XCTestCase {}
