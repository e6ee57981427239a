import XCTest

@testable import HalftoneSpec

/// Rendition URLs (a resized copy) read to their master; other shapes on the same hosts are not.
final class RenditionRulesTests: XCTestCase {
  func testRenditionsReadToTheirMaster() throws {
    let cases: [(url: String, master: String)] = [
      (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a9/Example.jpg/640px-Example.jpg",
        "https://upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg"
      ),
      (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/3/3f/JPEG_example_flower.jpg/320px-JPEG_example_flower.jpg",
        "https://upload.wikimedia.org/wikipedia/commons/3/3f/JPEG_example_flower.jpg"
      ),
      (
        "https://upload.wikimedia.org/wikipedia/en/thumb/6/63/Feynman.png/220px-Feynman.png",
        "https://upload.wikimedia.org/wikipedia/en/6/63/Feynman.png"
      ),
      (
        "https://news.example/wp-content/uploads/2024/05/harbour-1024x683.jpg",
        "https://news.example/wp-content/uploads/2024/05/harbour.jpg"
      ),
      (
        "https://news.example/wp-content/uploads/2024/05/harbour-scaled.jpg",
        "https://news.example/wp-content/uploads/2024/05/harbour.jpg"
      ),
      (
        "https://news.example/wp-content/uploads/2024/05/harbour-scaled-300x200.webp",
        "https://news.example/wp-content/uploads/2024/05/harbour.webp"
      ),
      (
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh?format=jpg&name=small",
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh?format=jpg&name=orig"
      ),
      (
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh?format=png&name=900x900",
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh?format=png&name=orig"
      ),
      (
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh.jpg:large",
        "https://pbs.twimg.com/media/FxYz123AbCdEfGh.jpg:orig"
      ),
      ("https://i.imgur.com/aBcDeFgm.jpg", "https://i.imgur.com/aBcDeFg.jpg"),
      ("https://i.imgur.com/aBcDeh.png", "https://i.imgur.com/aBcDe.png"),
      (
        "https://lh3.googleusercontent.com/AbC123-xYz_9=w640-h480-c",
        "https://lh3.googleusercontent.com/AbC123-xYz_9=s0"
      ),
      (
        "https://lh5.googleusercontent.com/p/AF1QipN=s1600",
        "https://lh5.googleusercontent.com/p/AF1QipN=s0"
      ),
    ]
    for (url, master) in cases {
      let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 320, declaredHeight: 240)
      XCTAssertEqual(spec.dialect, .rendition, url)
      XCTAssertEqual(spec.masterURL, master, url)
      XCTAssertEqual(spec.imageURL, url, "the URL as written stays the fallback")
    }
  }

  func testOtherShapesOnTheSameHostsAreNoRendition() throws {
    for url in [
      "https://upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg",
      "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a9/Example.svg/640px-Example.svg.png",
      "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a9/Doc.pdf/page1-640px-Doc.pdf.jpg",
      "https://news.example/wp-content/uploads/2024/05/harbour.jpg",
      "https://pbs.twimg.com/profile_images/1/photo.jpg",
      "https://i.imgur.com/aBcDeFg.jpg",
      "https://i.imgur.com/gallery/aBcDeFgm.jpg",
      "https://lh3.googleusercontent.com/AbC123=s0",
    ] {
      let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 320, declaredHeight: 240)
      XCTAssertNotEqual(spec.dialect, .rendition, url)
      XCTAssertEqual(spec.masterURL, url, url)
    }
  }
}
