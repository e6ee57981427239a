import HalftoneSpec
import XCTest

/// Dialects whose instructions are in the query, each on URLs as its documentation (or, where the
/// vendor publishes none, its publishers' pages) writes them.
final class QueryGrammarTableTests: XCTestCase {
  /// https://nextjs.org/docs/app/api-reference/components/image (the srcset it generates).
  func testNextJS() {
    assertRows(
      .nextjs,
      [
        DialectRow(
          "https://example.com/_next/image?url=%2Fprofile.jpg&w=640&q=75", source: (1000, 800),
          master: "https://example.com/profile.jpg", shape((1000, 800, 0, 0), 640, 512),
          quality: 75),
        DialectRow(
          "https://example.com/_next/image?url=%2Fprofile.jpg&w=828&q=75", source: (1000, 800),
          master: "https://example.com/profile.jpg", shape((1000, 800, 0, 0), 828, 662)),
        DialectRow(
          "https://www.promptingguide.ai/_next/image?url=%2F_next%2Fstatic%2Fmedia%2F"
            + "reflexion.1053729e.png&w=1920&q=75", source: (1000, 500),
          master: "https://www.promptingguide.ai/_next/static/media/reflexion.1053729e.png",
          shape((1000, 500, 0, 0), 1000, 500)),
        DialectRow(
          "https://www.swensens1112.com/_next/image?url=%2Fimages%2Fbanner%2Fregister-banner.jpg"
            + "&w=1920&q=75", source: (3840, 1280),
          master: "https://www.swensens1112.com/images/banner/register-banner.jpg",
          shape((3840, 1280, 0, 0), 1920, 640)),
        DialectRow(
          "https://toonyz.com/_next/image?url=%2Fstelli.png&w=256&q=75", source: (512, 512),
          master: "https://toonyz.com/stelli.png", shape((512, 512, 0, 0), 256, 256)),
        DialectRow(
          "https://example.com/_next/image?url=https%3A%2F%2Fcdn.example.org%2Fa.jpg&w=640",
          source: (1280, 960), master: "https://cdn.example.org/a.jpg",
          shape((1280, 960, 0, 0), 640, 480), quality: 75),
      ])
  }

  /// https://www.sanity.io/docs/image-urls.
  func testSanity() {
    let asset =
      "https://cdn.sanity.io/images/zp7mbokg/production/G3i4emG6B8JnTmGoN0UjgAp8-300x450.jpg"
    assertRows(
      .sanity,
      [
        DialectRow(asset, source: (300, 450), master: asset, shape((300, 450, 0, 0), 300, 450)),
        DialectRow(
          asset + "?h=200", source: (300, 450), master: asset, shape((300, 450, 0, 0), 133, 200)),
        DialectRow(
          asset + "?rect=70,20,120,150&h=200&blur=10", source: (300, 450), master: asset,
          shape((120, 150, 70, 20), 160, 200)),
        DialectRow(
          asset + "/easier-to-read-name.jpg", source: (300, 450),
          master: asset + "/easier-to-read-name.jpg", shape((300, 450, 0, 0), 300, 450)),
        DialectRow(
          "https://cdn.sanity.io/images/599r6htc/localized/b0e7b3f1b97d54f7cff61084c29ab2e64a490c05"
            + "-1600x1003.png?w=800&q=75&fit=max&auto=format", source: (1600, 1003),
          master: "https://cdn.sanity.io/images/599r6htc/localized/"
            + "b0e7b3f1b97d54f7cff61084c29ab2e64a490c05-1600x1003.png",
          shape((1600, 1003, 0, 0), 800, 502), quality: 75),
        DialectRow(
          "https://cdn.sanity.io/images/tlr8oxjg/production/cbce8b3ffe9e0b82f5d710b56ed210546228c415"
            + "-1232x690.png?w=3840&q=100&fit=clip&auto=format", source: (1232, 690),
          master: "https://cdn.sanity.io/images/tlr8oxjg/production/"
            + "cbce8b3ffe9e0b82f5d710b56ed210546228c415-1232x690.png",
          shape((1232, 690, 0, 0), 3840, 2151), quality: 100),
        DialectRow(
          asset + "?rect=0,100,300,300&w=200&h=200&fit=fillmax", source: (300, 450), master: asset,
          shape((300, 300, 0, 100), 200, 200)),
        DialectRow(
          asset + "?w=200&h=200&fit=crop&crop=top", source: (300, 450), master: asset,
          shape((300, 300, 0, 0), 200, 200)),
      ])
  }

  /// https://www.contentful.com/developers/docs/references/images-api/.
  func testContentful() {
    let asset =
      "https://images.ctfassets.net/yadj1kx9rmg0/wtrHxeu3zEoEce2MokCSi/"
      + "cf6f68efdcf625fdc060607df0f3baef/quwowooybuqbl6ntboz3.jpg"
    let photo = (600, 446)
    assertRows(
      .contentful,
      [
        DialectRow(asset, source: photo, master: asset, shape((600, 446, 0, 0), 600, 446)),
        DialectRow(
          "https://images.ctfassets.net/y2ske730sjqp/1aONibCke6niZhgPxuiilC/"
            + "2c401b05a07288746ddf3bd3943fbc76/BrandAssets_Logos_01-Wordmark.jpg?w=940",
          source: (1880, 1000),
          master: "https://images.ctfassets.net/y2ske730sjqp/1aONibCke6niZhgPxuiilC/"
            + "2c401b05a07288746ddf3bd3943fbc76/BrandAssets_Logos_01-Wordmark.jpg",
          shape((1880, 1000, 0, 0), 940, 500)),
        DialectRow(
          asset + "?w=300&h=300&fit=fill&f=face", source: photo, master: asset,
          shape((600, 446, 0, 0), 300, 300, .attention)),
        DialectRow(
          asset + "?w=100&h=100&fit=crop&f=top_left", source: photo, master: asset,
          shape((100, 100, 0, 0), 100, 100)),
        DialectRow(
          asset + "?w=300&h=200&fit=pad&bg=rgb:ff0000", source: photo, master: asset,
          shape((600, 446, 0, 0), 269, 200)),
        DialectRow(
          asset + "?fm=webp&q=50&w=300", source: photo, master: asset,
          shape((600, 446, 0, 0), 300, 223), quality: 50, format: .webp),
        DialectRow(
          asset + "?w=300&h=300&fit=thumb&f=bottom", source: photo, master: asset,
          shape((446, 446, 77, 0), 300, 300)),
      ])
  }

  /// https://techdocs.akamai.com/ivm/docs/imquery, on URLs as Akamai's customers write them.
  func testAkamai() {
    assertRows(
      .akamai,
      [
        DialectRow(
          "https://bsmedia.business-standard.com/_media/bs/img/article/2021-08/11/full/"
            + "1628686751-7355.jpg?im=Resize,width=480", source: (1200, 800),
          master: "https://bsmedia.business-standard.com/_media/bs/img/article/2021-08/11/full/"
            + "1628686751-7355.jpg", shape((1200, 800, 0, 0), 480, 320)),
        DialectRow(
          "https://www.telegraph.co.uk/content/dam/Travel/2018/December/manchester-iStock-"
            + "815365434.jpg?imwidth=1400", source: (3000, 2000),
          master: "https://www.telegraph.co.uk/content/dam/Travel/2018/December/manchester-"
            + "iStock-815365434.jpg", shape((3000, 2000, 0, 0), 1400, 933)),
        DialectRow(
          "https://images.samsung.com/is/image/samsung/p6pim/pe/2302/gallery/pe-galaxy-s23-s918-"
            + "sm-s918bzkvltp-thumb-534855456?imwidth=480", source: (1000, 1000),
          master: "https://images.samsung.com/is/image/samsung/p6pim/pe/2302/gallery/pe-galaxy-"
            + "s23-s918-sm-s918bzkvltp-thumb-534855456", shape((1000, 1000, 0, 0), 480, 480)),
        DialectRow(
          "https://img01.ztat.net/article/spp-media-p1/714ccdf466c24e71843fcb70034eea17/"
            + "8e2e1b63e1fd4cb28103979ee4028f8b.jpg?imwidth=1800&filter=packshot",
          source: (1200, 1800),
          master: "https://img01.ztat.net/article/spp-media-p1/714ccdf466c24e71843fcb70034eea17/"
            + "8e2e1b63e1fd4cb28103979ee4028f8b.jpg", shape((1200, 1800, 0, 0), 1200, 1800)),
        DialectRow(
          "https://images.news18.com/ibnlive/uploads/2022/04/pets-16496404503x2.jpg"
            + "?im=Resize,width=360,aspect=fit,type=normal", source: (720, 480),
          master: "https://images.news18.com/ibnlive/uploads/2022/04/pets-16496404503x2.jpg",
          shape((720, 480, 0, 0), 360, 240)),
        DialectRow(
          "https://www.akalunch.com/sandwichspecial/ham.png?im=Crop,rect=(0,0,100,100)",
          source: (400, 300), master: "https://www.akalunch.com/sandwichspecial/ham.png",
          shape((100, 100, 0, 0), 100, 100)),
        DialectRow(
          "https://www.akalunch.com/sandwichspecial/ham.png?im=Resize=(300,200)",
          source: (600, 600), master: "https://www.akalunch.com/sandwichspecial/ham.png",
          shape((600, 600, 0, 0), 200, 200)),
        DialectRow(
          "https://www.akalunch.com/sandwichspecial/ham.png?im=AspectCrop=(16,9),xPosition=0.5,"
            + "yPosition=0.5", source: (1600, 1200),
          master: "https://www.akalunch.com/sandwichspecial/ham.png",
          shape((1600, 900, 0, 150), 1600, 900)),
      ])
  }

  /// The Guardian (no public documentation): URLs as the Guardian's own code writes them
  /// (guardian/dotcom-rendering fixtures).
  func testGuardian() {
    func media(_ path: String) -> String { "https://media.guim.co.uk/" + path }
    let first = "71c5615514219be74f56eeeb6ea3deddc794e1ec/0_0_2500_1667/master/2500.jpg"
    assertRows(
      .guardian,
      [
        DialectRow(
          "https://i.guim.co.uk/img/media/\(first)?width=620&quality=85&auto=format&fit=max"
            + "&s=f70dd057eabb09a74239f51650641c4a", source: (2500, 1667), master: media(first),
          shape((2500, 1667, 0, 0), 620, 413), quality: 85),
        DialectRow(
          "https://i.guim.co.uk/img/media/\(first)?width=620&quality=45&auto=format&fit=max&dpr=2"
            + "&s=d492338bc4d1b857a33a7d6998e58d55", source: (2500, 1667), master: media(first),
          shape((2500, 1667, 0, 0), 1240, 827), quality: 45),
        DialectRow(
          "https://i.guim.co.uk/img/media/3e10857a494a7765614b771e9f6d6ebfea41667b/0_79_802_481/"
            + "master/802.jpg?width=620&quality=85&auto=format&fit=max"
            + "&s=a16bafbf9e0251565124f2db795083fe", source: (802, 481),
          master: media("3e10857a494a7765614b771e9f6d6ebfea41667b/0_79_802_481/master/802.jpg"),
          shape((802, 481, 0, 0), 620, 372)),
        DialectRow(
          "https://i.guim.co.uk/img/media/fe1e34da640c5c56ed16f76ce6f994fa9343d09d/0_174_3408_2046"
            + "/master/3408.jpg?width=1200&height=900&quality=85&auto=format&fit=crop"
            + "&s=0d3f33fb6aa6e0154b7713a00454c83d", source: (3408, 2046),
          master: media("fe1e34da640c5c56ed16f76ce6f994fa9343d09d/0_174_3408_2046/master/3408.jpg"),
          shape((2728, 2046, 340, 0), 1200, 900)),
        DialectRow(
          "https://i.guim.co.uk/img/media/a23aeb1f7ff20bb80f68852da17743b0e557f8ed/0_224_3504_2102"
            + "/master/3504.jpg?width=1200&height=1200&quality=85&auto=format&fit=crop"
            + "&s=9e9a99e479ee60270b69ede4d869b20f", source: (3504, 2102),
          master: media("a23aeb1f7ff20bb80f68852da17743b0e557f8ed/0_224_3504_2102/master/3504.jpg"),
          shape((2102, 2102, 701, 0), 1200, 1200)),
        DialectRow(
          "https://i.guim.co.uk/img/media/84fe7eaee6f9e2ffcb525bd81eade9c0e8a2253a/0_151_2836_1702"
            + "/master/2836.jpg?width=700&quality=85&auto=format&fit=max"
            + "&s=92a56dd981be97001c028132d57d02d5", source: (2836, 1702),
          master: media("84fe7eaee6f9e2ffcb525bd81eade9c0e8a2253a/0_151_2836_1702/master/2836.jpg"),
          shape((2836, 1702, 0, 0), 700, 420)),
        DialectRow(
          "https://i.guim.co.uk/img/media/6ead18d1b23b6cdaa33f6731c0c417a8f0576552/539_452_3726_2236"
            + "/master/3726.jpg?width=445&dpr=1&s=none&crop=none", source: (3726, 2236),
          master: media(
            "6ead18d1b23b6cdaa33f6731c0c417a8f0576552/539_452_3726_2236/master/3726.jpg"),
          shape((3726, 2236, 0, 0), 445, 267)),
      ])
  }

  /// Arc XP resizer v2 (https://dev.arcxp.com/photo-center/image-resizer/resizer-v2-how-to-transform-images/):
  /// the master of an Arc id is not derivable (`""`: the URL as written is fetched).
  func testArcResizerV2() {
    assertRows(
      .arc,
      [
        DialectRow(
          "https://www.lanacion.com.ar/resizer/v2/cuanto-mide-y-pesa-el-elefante-mas-grande-del-"
            + "VGKL7WSR6ZGYJO3DRTLIYI6PQI.jpg?auth=165dd743dbde4fe70713f650dba59da8d6415241b281e1b9"
            + "5775b8dc67e1b9b5&width=880&height=586&quality=70&smart=true", source: (4000, 3000),
          master: "", shape((4000, 3000, 0, 0), 880, 586, .attention), quality: 70),
        DialectRow(
          "https://www.estadao.com.br/resizer/v2/FIVYQFU6J5ND3PYRA6XQHR4NW4.jpg?quality=80&auth=04"
            + "a93b8f4c288302da64fd8a96da7bb7cc11dff70430e4ba66587218d5b6011f&width=720&height=503"
            + "&focal=0,0", source: (1440, 1440), master: "", shape((1440, 1006, 0, 0), 720, 503)),
        DialectRow(
          "https://www.reuters.com/resizer/v2/TECHZMXJDZIZ3MSPVCWBOGTK6Y.jpg?auth=8f95ad3ca1c0e3906"
            + "bb6afe60e60ab262f8f01749eef4ff676c1bb05fedae13e&width=1200&quality=80",
          source: (2400, 1600), master: "", shape((2400, 1600, 0, 0), 1200, 800)),
        DialectRow(
          "https://imagenes.elpais.com/resizer/v2/M2LJPF3LOZMCBFIINF3ANPEXYA.jpg?auth=3742d8527ab2c"
            + "7808cee6bcdc198547c39b5f3b7fb710f22073c14e4c311dca6&width=980&height=980&smart=true",
          source: (2000, 1500), master: "", shape((2000, 1500, 0, 0), 980, 980, .attention)),
        DialectRow(
          "https://sandbox-resizer.glanacion.com/resizer/v2/https%3A%2F%2Fcdn.jwplayer.com%2Fv2%2F"
            + "media%2FDXpufCFv%2Fposter.jpg%3Fwidth%3D720?auth=319089acd32a1ac9aed455a5bbfbf2a1b6"
            + "e6a625c47ea6845408c4d78170c838&width=768&quality=70&smart=false", source: (720, 406),
          master: "https://cdn.jwplayer.com/v2/media/DXpufCFv/poster.jpg?width=720",
          shape((720, 406, 0, 0), 720, 406)),
        DialectRow(
          "https://www.example.com/resizer/v2/ABCDEFGHIJKLMNOPQRSTUVWXYZ.jpg?auth=1&width=800"
            + "&height=600&focal=3000,800", source: (4000, 2000), master: "",
          shape((2667, 2000, 1333, 0), 800, 600)),
        DialectRow(
          "https://www.example.com/resizer/v2/ABCDEFGHIJKLMNOPQRSTUVWXYZ.jpg?auth=1"
            + "&crop=100,100:150,150", source: (4000, 2000), master: "",
          shape((150, 150, 100, 100), 150, 150)),
      ])
  }
}
