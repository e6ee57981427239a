import XCTest

final class HalftoneImagingTestsPlaceholder: XCTestCase {}
