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
      // Five shapes a rule, as the sites write them.
      (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/b/b6/Image_created_with_a_mobile_phone.png/1200px-Image_created_with_a_mobile_phone.png",
        "https://upload.wikimedia.org/wikipedia/commons/b/b6/Image_created_with_a_mobile_phone.png"
      ),
      (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/1/15/Cat_August_2010-4.jpg/2560px-Cat_August_2010-4.jpg",
        "https://upload.wikimedia.org/wikipedia/commons/1/15/Cat_August_2010-4.jpg"
      ),
      (
        "https://news.example/wp-content/uploads/sites/3/2023/11/photo-768x512.jpeg",
        "https://news.example/wp-content/uploads/sites/3/2023/11/photo.jpeg"
      ),
      (
        "https://news.example/wp-content/uploads/2022/01/IMG_1234-150x150.png",
        "https://news.example/wp-content/uploads/2022/01/IMG_1234.png"
      ),
      (
        "https://pbs.twimg.com/media/GAbCdEfXYZ0?format=webp&name=large",
        "https://pbs.twimg.com/media/GAbCdEfXYZ0?format=webp&name=orig"
      ),
      (
        "https://pbs.twimg.com/media/GAbCdEfXYZ0?format=jpg&name=4096x4096",
        "https://pbs.twimg.com/media/GAbCdEfXYZ0?format=jpg&name=orig"
      ),
      ("https://i.imgur.com/abcdefgl.png", "https://i.imgur.com/abcdefg.png"),
      ("https://i.imgur.com/XyZ12s.jpg", "https://i.imgur.com/XyZ12.jpg"),
      ("https://i.imgur.com/AbCdEfGt.jpeg", "https://i.imgur.com/AbCdEfG.jpeg"),
      (
        "https://lh3.googleusercontent.com/a/ACg8ocK=s96-c",
        "https://lh3.googleusercontent.com/a/ACg8ocK=s0"
      ),
      (
        "https://lh4.googleusercontent.com/proxy/AbC=w1200-h630-p-k-no-nu",
        "https://lh4.googleusercontent.com/proxy/AbC=s0"
      ),
      (
        "https://lh6.googleusercontent.com/AbCdEf=w320",
        "https://lh6.googleusercontent.com/AbCdEf=s0"
      ),
    ]
    for (url, master) in cases {
      let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 320, declaredHeight: 240)
      XCTAssertEqual(spec.dialect, .rendition, url)
      XCTAssertEqual(spec.masterURL, master, url)
      XCTAssertEqual(spec.imageURL, url, "the URL as written stays the fallback")
    }
  }

  /// The New York Times' crop names (as its pages and API write them) read to `-superJumbo`,
  /// then `-jumbo`, then the URL as written; the query is dropped from the masters.
  func testNewYorkTimesRenditionsNameTwoMastersInOrder() throws {
    let base = "https://static01.nyt.com/images/2024/05/01/world/01harbour/01harbour"
    let cases: [(url: String, masters: [String])] = [
      (
        "\(base)-articleLarge.jpg?quality=75&auto=webp",
        ["\(base)-superJumbo.jpg", "\(base)-jumbo.jpg"]
      ),
      ("\(base)-thumbStandard.jpg", ["\(base)-superJumbo.jpg", "\(base)-jumbo.jpg"]),
      ("\(base)-mediumThreeByTwo440.jpg", ["\(base)-superJumbo.jpg", "\(base)-jumbo.jpg"]),
      (
        "\(base)-videoSixteenByNineJumbo1600-v2.jpg",
        ["\(base)-superJumbo.jpg", "\(base)-jumbo.jpg"]
      ),
      ("\(base)-jumbo.jpg?quality=90&auto=webp", ["\(base)-superJumbo.jpg"]),
      (
        "https://static.nyt.com/images/2019/01/01/arts/01pic/01pic-square640.png",
        [
          "https://static.nyt.com/images/2019/01/01/arts/01pic/01pic-superJumbo.png",
          "https://static.nyt.com/images/2019/01/01/arts/01pic/01pic-jumbo.png",
        ]
      ),
    ]
    for (url, masters) in cases {
      let spec = try ThumbnailSpec.parse(url: url, declaredWidth: 600, declaredHeight: 400)
      XCTAssertEqual(spec.dialect, .rendition, url)
      XCTAssertEqual([spec.masterURL] + spec.fallbackMasterURLs, masters, url)
      let plan = try spec.plan(for: source(2048, 1365))
      XCTAssertEqual([plan.width, plan.height], [600, 400], url)
    }
    // Already the largest, or not a crop name: the URL as written is the master.
    for url in ["\(base)-superJumbo.jpg", "\(base)-harbourFront.jpg"] {
      XCTAssertEqual(try ThumbnailSpec.parse(url: url).masterURL, url, url)
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
