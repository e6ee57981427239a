import HalftoneSpec
import XCTest

/// Dialects whose instructions are in the path, each on URLs as its documentation (or, where the
/// vendor publishes none, its publishers' pages) writes them. The README's dialect table names
/// the pages.
final class PathGrammarTableTests: XCTestCase {
  let demo = "https://res.cloudinary.com/demo/image/upload/"

  /// https://cloudinary.com/documentation/transformation_reference (and its resize, crop and
  /// gravity pages).
  func testCloudinary() {
    let photo = (640, 480)
    assertRows(
      .cloudinary,
      [
        DialectRow(
          demo + "c_crop,h_150,w_150,x_80,y_30/face_top.jpg", source: photo,
          master: demo + "face_top.jpg", shape((150, 150, 80, 30), 150, 150), format: .jpeg),
        DialectRow(
          demo + "c_crop,g_south,h_150,w_200/docs/flower_shop.jpg", source: photo,
          master: demo + "docs/flower_shop.jpg", shape((200, 150, 220, 330), 200, 150)),
        DialectRow(
          demo + "c_fill,h_150,w_150/docs/camera-640.jpg", source: photo,
          master: demo + "docs/camera-640.jpg", shape((480, 480, 80, 0), 150, 150)),
        DialectRow(
          demo + "c_fill,g_east,h_150,w_150/docs/camera-640.jpg", source: photo,
          master: demo + "docs/camera-640.jpg", shape((480, 480, 160, 0), 150, 150)),
        DialectRow(
          demo + "c_fit,h_150,w_150/docs/camera-640.jpg", source: photo,
          master: demo + "docs/camera-640.jpg", shape((640, 480, 0, 0), 150, 113)),
        DialectRow(
          demo + "c_limit,h_150,w_150/docs/camera-640.jpg", source: (100, 75),
          master: demo + "docs/camera-640.jpg", shape((100, 75, 0, 0), 100, 75)),
        DialectRow(
          demo + "c_fit,h_150,w_150/docs/camera-640.jpg", source: (100, 75),
          master: demo + "docs/camera-640.jpg", shape((100, 75, 0, 0), 150, 113)),
        DialectRow(
          demo + "c_scale,w_0.5/docs/camera-640.jpg", source: photo,
          master: demo + "docs/camera-640.jpg", shape((640, 480, 0, 0), 320, 240)),
        DialectRow(
          demo + "c_thumb,g_face,h_150,w_150/woman.jpg", source: photo,
          master: demo + "woman.jpg", shape((640, 480, 0, 0), 150, 150, .attention)),
        DialectRow(
          demo + "ar_1.5,c_crop/docs/camera-640.jpg", source: photo,
          master: demo + "docs/camera-640.jpg", shape((640, 427, 0, 26), 640, 427)),
        DialectRow(
          demo + "ar_1:1,c_fill,g_auto:subject/boat_lake2.jpg", source: photo,
          master: demo + "boat_lake2.jpg", shape((640, 480, 0, 0), 480, 480, .attention)),
        DialectRow(
          demo + "c_scale,h_150/dpr_2.0/face_top.jpg", source: photo,
          master: demo + "face_top.jpg", shape((640, 480, 0, 0), 400, 300)),
        DialectRow(
          demo + "q_20/docs/wines.jpg", source: photo, master: demo + "docs/wines.jpg",
          shape((640, 480, 0, 0), 640, 480), quality: 20),
        DialectRow(
          demo + "c_fill,w_300,ar_0.7,a_auto_left/sheep.jpg", source: photo,
          master: demo + "sheep.jpg", shape((336, 480, 152, 0), 300, 429)),
        DialectRow(
          demo + "w_400/v1573726751/sample.png", source: (800, 600),
          master: demo + "v1573726751/sample.png", shape((800, 600, 0, 0), 400, 300),
          format: .png),
        // Chained: a crop, then a resize of it.
        DialectRow(
          "https://res.cloudinary.com/de-demo/image/upload/x_100,y_50,w_400,h_300,c_crop/w_200/"
            + "photo.jpg", source: photo,
          master: "https://res.cloudinary.com/de-demo/image/upload/photo.jpg",
          shape((400, 300, 100, 50), 200, 150)),
        DialectRow(
          "https://res.cloudinary.com/demo/image/fetch/w_300,h_300,c_fill,g_face,r_max,f_auto/"
            + "https://socatar.com/twitter/yegor256", source: (400, 400),
          master: "https://socatar.com/twitter/yegor256",
          shape((400, 400, 0, 0), 300, 300, .attention)),
      ])
  }

  /// Substack's `image/fetch` (Cloudinary's fetch grammar; Substack documents none).
  func testSubstack() {
    let media = "https://substack-post-media.s3.amazonaws.com/public/images/"
    assertRows(
      .cloudinary,
      [
        DialectRow(
          "https://substackcdn.com/image/fetch/w_1456,c_limit,f_auto,q_auto:good,"
            + "fl_progressive:steep/https://bucketeer-e05bbc84-baa3-437e-9518-adb32be77984.s3"
            + ".amazonaws.com/public/images/9c323e94-3eef-4568-90bb-3f72847376be_1456x1048.png",
          source: (2912, 2096),
          master: "https://bucketeer-e05bbc84-baa3-437e-9518-adb32be77984.s3.amazonaws.com/"
            + "public/images/9c323e94-3eef-4568-90bb-3f72847376be_1456x1048.png",
          shape((2912, 2096, 0, 0), 1456, 1048), quality: 80),
        DialectRow(
          "https://substackcdn.com/image/fetch/$s_!lxQ_!,w_1456,c_limit,f_auto,q_auto:good,"
            + "fl_progressive:steep/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic"
            + "%2Fimages%2F16676ff4-459f-4f02-888a-20e305cd3f28_1746x1100.png",
          source: (1746, 1100),
          master: media + "16676ff4-459f-4f02-888a-20e305cd3f28_1746x1100.png",
          shape((1746, 1100, 0, 0), 1456, 917)),
        DialectRow(
          "https://substackcdn.com/image/fetch/w_1456,c_limit,f_webp,q_auto:good,"
            + "fl_progressive:steep/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic"
            + "%2Fimages%2F8e023e81-1644-40c3-972d-c1ccd7100bc8_640x360.gif",
          source: (640, 360), master: media + "8e023e81-1644-40c3-972d-c1ccd7100bc8_640x360.gif",
          shape((640, 360, 0, 0), 640, 360), format: .webp),
        DialectRow(
          "https://substackcdn.com/image/fetch/f_auto,q_auto:good,fl_progressive:steep/"
            + "https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2F"
            + "8533bf77-bf19-4feb-b744-c4c29bd38592_1616x892.jpeg",
          source: (1616, 892), master: media + "8533bf77-bf19-4feb-b744-c4c29bd38592_1616x892.jpeg",
          shape((1616, 892, 0, 0), 1616, 892)),
        DialectRow(
          "https://substackcdn.com/image/fetch/%24s_%21rycF%21%2Cf_auto%2Cq_auto%3Agood%2C"
            + "fl_progressive%3Asteep/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2F"
            + "public%2Fimages%2Fd2785489-6c63-40cf-bb4a-1b8656a81d01_1600x1104.png",
          source: (1600, 1104),
          master: media + "d2785489-6c63-40cf-bb4a-1b8656a81d01_1600x1104.png",
          shape((1600, 1104, 0, 0), 1600, 1104)),
      ])
  }

  /// https://developers.cloudflare.com/images/transform-images/transform-via-url/ and
  /// https://developers.cloudflare.com/images/transform-images/make-responsive-images/.
  func testCloudflare() {
    let site = "https://example.com"
    assertRows(
      .cloudflare,
      [
        DialectRow(
          site + "/cdn-cgi/image/width=80,quality=75/uploads/avatar1.jpg", source: (400, 300),
          master: site + "/uploads/avatar1.jpg", shape((400, 300, 0, 0), 80, 60), quality: 75),
        DialectRow(
          site + "/cdn-cgi/image/width=100/https://s3.example.com/bucket/image.png",
          source: (400, 300), master: "https://s3.example.com/bucket/image.png",
          shape((400, 300, 0, 0), 100, 75), quality: 85),
        DialectRow(
          site + "/cdn-cgi/image/fit=scale-down,width=1920/assets/photo.jpg", source: (1000, 750),
          master: site + "/assets/photo.jpg", shape((1000, 750, 0, 0), 1000, 750)),
        DialectRow(
          site + "/cdn-cgi/image/fit=contain,width=960/assets/product.jpg", source: (400, 300),
          master: site + "/assets/product.jpg", shape((400, 300, 0, 0), 960, 720)),
        DialectRow(
          site + "/cdn-cgi/image/width=960/assets/hero.jpg", source: (4000, 3000),
          master: site + "/assets/hero.jpg", shape((4000, 3000, 0, 0), 960, 720)),
        DialectRow(
          site + "/cdn-cgi/image/format=auto/assets/hero.jpg", source: (4000, 3000),
          master: site + "/assets/hero.jpg", shape((4000, 3000, 0, 0), 4000, 3000)),
        DialectRow(
          site + "/cdn-cgi/image/w=640,h=480,fit=cover,g=0x1/assets/wide.jpg",
          source: (4000, 2000), master: site + "/assets/wide.jpg",
          shape((2667, 2000, 0, 0), 640, 480)),
        DialectRow(
          site + "/cdn-cgi/image/trim=20;30;20;0,width=500/assets/framed.jpg",
          source: (1000, 800), master: site + "/assets/framed.jpg",
          shape((970, 760, 0, 20), 500, 392)),
        DialectRow(
          site + "/cdn-cgi/image/width=640,height=480,fit=crop/assets/small.jpg",
          source: (320, 240), master: site + "/assets/small.jpg", shape((320, 240, 0, 0), 320, 240)),
        DialectRow(
          site + "/cdn-cgi/image/fit=pad,width=640,height=640,background=white/assets/a.jpg",
          source: (800, 600), master: site + "/assets/a.jpg", shape((800, 600, 0, 0), 640, 480)),
      ])
  }

  /// Brightspot dims (the mod_dims engine; Brightspot documents no URL grammar): URLs as NPR,
  /// the Los Angeles Times, E.W. Scripps and Vetstreet pages write them.
  func testBrightspot() {
    assertRows(
      .brightspot,
      [
        DialectRow(
          "https://npr.brightspotcdn.com/dims4/default/aa612b7/2147483647/strip/true/crop/"
            + "910x525+0+0/resize/1760x1016!/format/webp/quality/90/?url=http%3A%2F%2Fnpr-"
            + "brightspot.s3.amazonaws.com%2Flegacy%2Fsites%2Fwusf%2Ffiles%2F201907%2F"
            + "invasive_iguanas_7-5.png", source: (910, 525),
          master: "http://npr-brightspot.s3.amazonaws.com/legacy/sites/wusf/files/201907/"
            + "invasive_iguanas_7-5.png", shape((910, 525, 0, 0), 1760, 1016), quality: 90,
          format: .webp),
        DialectRow(
          "https://ca-times.brightspotcdn.com/dims4/default/d49ce7b/2147483647/strip/true/crop/"
            + "1920x1080+0+0/resize/1486x836!/quality/90/?url=https%3A%2F%2Fcalifornia-times-"
            + "brightspot.s3.amazonaws.com%2F50%2F76%2F025fca784c0888194d376917b799%2Fla-fo-"
            + "dalgona-iced-coffee-south-korea-isolation.jpg", source: (1920, 1080),
          master: "https://california-times-brightspot.s3.amazonaws.com/50/76/"
            + "025fca784c0888194d376917b799/la-fo-dalgona-iced-coffee-south-korea-isolation.jpg",
          shape((1920, 1080, 0, 0), 1486, 836)),
        DialectRow(
          "https://ca-times.brightspotcdn.com/dims4/default/1e82016/2147483647/strip/true/crop/"
            + "3900x2048+0+344/resize/1200x630!/quality/80/?url=https%3A%2F%2Fcalifornia-times-"
            + "brightspot.s3.amazonaws.com%2F1b%2F6a%2F3ec56d2a4016993ba8157766b5e3%2F1324580-me-"
            + "weather-feature-01-ajs.jpg", source: (3900, 2600),
          master: "https://california-times-brightspot.s3.amazonaws.com/1b/6a/"
            + "3ec56d2a4016993ba8157766b5e3/1324580-me-weather-feature-01-ajs.jpg",
          shape((3900, 2048, 0, 344), 1200, 630), quality: 80),
        DialectRow(
          "https://vetstreet.brightspotcdn.com/dims4/default/03f7acf/2147483647/crop/0x0%2B0%2B0/"
            + "resize/645x380/quality/90/?url=https%3A%2F%2Fvetstreet-brightspot.s3.amazonaws.com"
            + "%2F36%2F4fccb0a10611e087a80050568d634f%2Ffile%2FLabrador-4-645mk062111.jpg",
          source: (1000, 750),
          master: "https://vetstreet-brightspot.s3.amazonaws.com/36/4fccb0a10611e087a80050568d634f"
            + "/file/Labrador-4-645mk062111.jpg", shape((1000, 750, 0, 0), 507, 380)),
        DialectRow(
          "https://vetstreet.brightspotcdn.com/dims4/default/60b6ebe/2147483647/thumbnail/590x420/"
            + "quality/90/?url=https%3A%2F%2Fvetstreet-brightspot.s3.amazonaws.com%2F1b%2F10%2F"
            + "187d796e44db9b3262b45d2e5aac%2Fdog-makes-eye-contact-thinkstockphotos-511375254-"
            + "590lc031616.jpg", source: (1000, 750),
          master: "https://vetstreet-brightspot.s3.amazonaws.com/1b/10/187d796e44db9b3262b45d2e5aac"
            + "/dog-makes-eye-contact-thinkstockphotos-511375254-590lc031616.jpg",
          shape((1000, 712, 0, 19), 590, 420)),
        DialectRow(
          "https://npr.brightspotcdn.com/dims3/default/strip/false/crop/2138x1203+0+0/resize/1400/"
            + "quality/100/format/png/?url=http%3A%2F%2Fnpr-brightspot.s3.amazonaws.com%2Fb4%2F19"
            + "%2F24f2b34d491a90f419b2f054c737%2Fscreenshot-2024-06-18-at-4-32-36-pm.png",
          source: (2138, 1203),
          master: "http://npr-brightspot.s3.amazonaws.com/b4/19/24f2b34d491a90f419b2f054c737/"
            + "screenshot-2024-06-18-at-4-32-36-pm.png", shape((2138, 1203, 0, 0), 1400, 788),
          format: .png),
        DialectRow(
          "https://npr.brightspotcdn.com/dims3/default/strip/false/crop/2500x1406+0+260/resize/"
            + "1400/quality/85/format/jpeg/?url=http%3A%2F%2Fnpr-brightspot.s3.amazonaws.com%2F26"
            + "%2Ffc%2F8442905e43fab7412bc2170d4b94%2F32176873800-c43d69da1d-o-1.jpg",
          source: (2500, 2000),
          master: "http://npr-brightspot.s3.amazonaws.com/26/fc/8442905e43fab7412bc2170d4b94/"
            + "32176873800-c43d69da1d-o-1.jpg", shape((2500, 1406, 0, 260), 1400, 787),
          quality: 85),
      ])
  }

  /// thumbor behind a prefix (https://thumbor.readthedocs.io/en/latest/usage.html,
  /// https://thumbor.readthedocs.io/en/latest/focal.html): Vox Media's `/thumbor/` and Arc XP's
  /// resizer v1 (https://dev.arcxp.com/photo-center/image-resizer/resizer-v1-to-v2-redirects/).
  func testThumborBehindAPrefix() {
    let uploads = "https://cdn.vox-cdn.com/uploads/chorus_image/image/"
    let arc = "https://cloudfront-us-east-2.images.arcpublishing.com/reuters/"
    assertRows(
      .thumbor,
      [
        DialectRow(
          "https://cdn.vox-cdn.com/thumbor/g37mpxAYAlTnGSaHqNx193O1NWQ=/0x0:1920x1280/1200x800/"
            + "filters:focal(807x487:1113x793)/cdn.vox-cdn.com/uploads/chorus_image/image/"
            + "53734993/the_matrix_neo_agent_smith_1920.0.jpg", source: (1920, 1280),
          master: uploads + "53734993/the_matrix_neo_agent_smith_1920.0.jpg",
          shape((1920, 1280, 0, 0), 1200, 800)),
        DialectRow(
          "https://cdn.vox-cdn.com/thumbor/1j72cfH6ka3baNiIvbstiHQbnfo=/0x0:5225x3479/920x613/"
            + "filters:focal(2195x1322:3031x2158):format(webp)/cdn.vox-cdn.com/uploads/"
            + "chorus_image/image/54137643/camping_tents.0.jpg", source: (5225, 3479),
          master: uploads + "54137643/camping_tents.0.jpg", shape((5225, 3479, 0, 0), 920, 613),
          format: .webp),
        DialectRow(
          "https://cdn.vox-cdn.com/thumbor/q00D9hDukaGhKXc9ZhSEqQ5upys=/0x126:563x443/1600x700/"
            + "cdn.vox-cdn.com/uploads/chorus_image/image/44281920/"
            + "Screen_Shot_2014-12-01_at_12.35.05_PM.0.0.png", source: (563, 600),
          master: uploads + "44281920/Screen_Shot_2014-12-01_at_12.35.05_PM.0.0.png",
          shape((563, 246, 0, 161), 562, 246)),
        DialectRow(
          "https://cdn.vox-cdn.com/thumbor/yU7dbyR-N-m1lWDyLhaJPydUESg=/0x33:640x393/1600x900/"
            + "cdn.vox-cdn.com/assets/1496753/stevejobs.jpg", source: (640, 480),
          master: "https://cdn.vox-cdn.com/assets/1496753/stevejobs.jpg",
          shape((640, 360, 0, 33), 640, 360)),
        DialectRow(
          "https://cdn.vox-cdn.com/thumbor/ileb0KkWP85n-s6cVWogA0MoNrc=/1400x1050/"
            + "filters:format(jpeg)/cdn.vox-cdn.com/uploads/chorus_asset/file/21883188/"
            + "ipadair3.jpg", source: (2800, 2100),
          master: "https://cdn.vox-cdn.com/uploads/chorus_asset/file/21883188/ipadair3.jpg",
          shape((2800, 2100, 0, 0), 1400, 1050), format: .jpeg),
        // A focal point moves the cut: 877 px (the box's centre) − 750 = 127.
        DialectRow(
          "https://www.latercera.com/resizer/qZrjXd1futa7mw2eSRDhcq7ureU=/900x600/"
            + "filters:focal(872x509:882x499)/cloudfront-us-east-1.images.arcpublishing.com/"
            + "copesa/ISPSLNQJQ5EMVEBYIJUOZA7I7Y.jpg", source: (1800, 1000),
          master: "https://cloudfront-us-east-1.images.arcpublishing.com/copesa/"
            + "ISPSLNQJQ5EMVEBYIJUOZA7I7Y.jpg", shape((1500, 1000, 127, 0), 900, 600)),
        DialectRow(
          "https://www.reuters.com/resizer/cV8SnShl74qluzWBoDH_vVa18m4=/1200x628/smart/"
            + "filters:quality(80)/cloudfront-us-east-2.images.arcpublishing.com/reuters/"
            + "5GESI4YOUNN5PP5TCKQEZSUB6E.jpg", source: (4000, 3000),
          master: arc + "5GESI4YOUNN5PP5TCKQEZSUB6E.jpg",
          shape((4000, 3000, 0, 0), 1200, 628, .attention), quality: 80),
        DialectRow(
          "https://www.reuters.com/resizer/G1--GZjhoLr2M2IZbF7_SIdGN1I=/960x0/filters:quality(80)/"
            + "cloudfront-us-east-2.images.arcpublishing.com/reuters/JW4FQGBO4FLVBC6Z2PN63XTY3I.jpg",
          source: (4000, 3000), master: arc + "JW4FQGBO4FLVBC6Z2PN63XTY3I.jpg",
          shape((4000, 3000, 0, 0), 960, 720)),
        DialectRow(
          "https://bostonglobe-prod.cdn.arcpublishing.com/resizer/Pr3Nd9bEjaAn4uiNcAsuDoH4kmI=/"
            + "506x0/cloudfront-us-east-1.images.arcpublishing.com/bostonglobe/"
            + "5CFA2HR2ZRB2DI6RJOILVP7ASY.jpg", source: (1012, 800),
          master: "https://cloudfront-us-east-1.images.arcpublishing.com/bostonglobe/"
            + "5CFA2HR2ZRB2DI6RJOILVP7ASY.jpg", shape((1012, 800, 0, 0), 506, 400)),
        DialectRow(
          "https://depor.com/resizer/oPf-2Xij6G_oA4sfJ7Y5DGDQYhM=/580x330/smart/"
            + "filters:format(jpeg):quality(75)/cloudfront-us-east-1.images.arcpublishing.com/"
            + "elcomercio/DAYT2F5NUNB7VPAFKUPHNDXVQA.jpg", source: (4000, 3000),
          master: "https://cloudfront-us-east-1.images.arcpublishing.com/elcomercio/"
            + "DAYT2F5NUNB7VPAFKUPHNDXVQA.jpg", shape((4000, 3000, 0, 0), 580, 330, .attention),
          quality: 75),
      ])
  }

  /// https://imagekit.io/docs/image-resize-and-crop, on URLs as ImageKit's demo account and its
  /// customers write them.
  func testImageKit() {
    let demo = "https://ik.imagekit.io/demo/"
    assertRows(
      .imagekit,
      [
        DialectRow(
          demo + "tr:w-300,h-300/medium_cafe_B1iTdD0C.jpg", source: (1000, 750),
          master: demo + "medium_cafe_B1iTdD0C.jpg", shape((750, 750, 125, 0), 300, 300)),
        DialectRow(
          demo + "tr:w-200/medium_cafe_B1iTdD0C.jpg", source: (1000, 750),
          master: demo + "medium_cafe_B1iTdD0C.jpg", shape((1000, 750, 0, 0), 200, 150)),
        DialectRow(
          demo + "tr:w-400,q-70,f-auto/img/image1.jpeg", source: (1000, 750),
          master: demo + "img/image1.jpeg", shape((1000, 750, 0, 0), 400, 300), quality: 70),
        DialectRow(
          demo + "tr:f-jpg/medium_cafe_B1iTdD0C.jpg", source: (1000, 750),
          master: demo + "medium_cafe_B1iTdD0C.jpg", shape((1000, 750, 0, 0), 1000, 750),
          format: .jpeg),
        DialectRow(
          "https://ik.imagekit.io/typeai/tr:w-1200,c-at_max/img_3jhyTefvfCScE81ycc.png",
          source: (1000, 750), master: "https://ik.imagekit.io/typeai/img_3jhyTefvfCScE81ycc.png",
          shape((1000, 750, 0, 0), 1000, 750)),
        DialectRow(
          "https://ik.imagekit.io/tvlk/apr-asset/hotel/asset/10000967.jpeg?tr=q-40,c-at_max,"
            + "w-1280,h-720&_src=imagekit", source: (4000, 3000),
          master: "https://ik.imagekit.io/tvlk/apr-asset/hotel/asset/10000967.jpeg?_src=imagekit",
          shape((4000, 3000, 0, 0), 960, 720), quality: 40),
        DialectRow(
          demo + "tr:fo-top,ar-1-1:w-480,c-at_max/medium_cafe_B1iTdD0C.jpg", source: (1000, 750),
          master: demo + "medium_cafe_B1iTdD0C.jpg", shape((750, 750, 125, 0), 480, 480)),
        DialectRow(
          demo + "tr:w-200,h-100,cm-extract,x-50,y-40/medium_cafe_B1iTdD0C.jpg",
          source: (1000, 750), master: demo + "medium_cafe_B1iTdD0C.jpg",
          shape((200, 100, 50, 40), 200, 100)),
      ])
  }

  /// Yahoo's image proxy (undocumented), on URLs as Yahoo's pages write them; the options are
  /// base64 (`YXBwaWQ9aGlnaGxhbmRlcjt3PTY0MDtoPTkyOA--` is `appid=highlander;w=640;h=928`).
  func testYahoo() {
    assertRows(
      .yahoo,
      [
        DialectRow(
          "https://s.yimg.com/ny/api/res/1.2/ZzAHlDHi8a2xdBRRbruaYQ--/YXBwaWQ9aGlnaGxhbmRlcjt3PTY0"
            + "MDtoPTkyOA--/https://media.zenfs.com/en/homerun/feed_manager_auto_publish_494/"
            + "d05a3f087fa57f6d41b865d53a42a5f5", source: (1280, 1856),
          master: "https://media.zenfs.com/en/homerun/feed_manager_auto_publish_494/"
            + "d05a3f087fa57f6d41b865d53a42a5f5", shape((1280, 1856, 0, 0), 640, 928)),
        DialectRow(
          "https://s.yimg.com/ny/api/res/1.2/tXwt3yTft72vRdP5DhSy6A--/YXBwaWQ9aGlnaGxhbmRlcjt3PTI0"
            + "MDA7aD0xMzUw/https://media.zenfs.com/en/toms_guide_826/b0a9dfa0ebff4b11993de5af8a32346"
            + "1", source: (4800, 2700),
          master: "https://media.zenfs.com/en/toms_guide_826/b0a9dfa0ebff4b11993de5af8a323461",
          shape((4800, 2700, 0, 0), 2400, 1350)),
        DialectRow(
          "https://s.yimg.com/ny/api/res/1.2/byX_Vxwgkf0HwUYZvYV2Aw--/YXBwaWQ9aGlnaGxhbmRlcjt3PTEy"
            + "MDA7aD02NzU-/https://media.zenfs.com/en/the_daily_meal_185/"
            + "1b11ad853b4f2a9cc9dc6ca3d4c43c68", source: (1200, 800),
          master: "https://media.zenfs.com/en/the_daily_meal_185/1b11ad853b4f2a9cc9dc6ca3d4c43c68",
          shape((1200, 800, 0, 0), 1013, 675)),
        DialectRow(
          "https://s.yimg.com/ny/api/res/1.2/wEAfOfb.K0xbhO9pqMb.qA--~A/YXBwaWQ9aGlnaGxhbmRlcjtzbT"
            + "0xO3c9ODAw/https://media.zenfs.com/en/evergreen.ttvc.com.tw/"
            + "7c0a895009c9ada304ce44225f8e5b48", source: (1600, 900),
          master:
            "https://media.zenfs.com/en/evergreen.ttvc.com.tw/7c0a895009c9ada304ce44225f8e5b48",
          shape((1600, 900, 0, 0), 800, 450)),
        DialectRow(
          "https://s.yimg.com/uu/api/res/1.2/hAc4e3YZJ0fkrNTGsAXNcw--~B/aD02MDA7dz0xMDAwO2FwcGlkPX"
            + "l0YWNoeW9u/https://media.zenfs.com/en/college_football_news_usa_today_articles_667/"
            + "fbb77772a034305d7f376a49df7e7132", source: (1000, 600),
          master: "https://media.zenfs.com/en/college_football_news_usa_today_articles_667/"
            + "fbb77772a034305d7f376a49df7e7132", shape((1000, 600, 0, 0), 1000, 600)),
        DialectRow(
          "https://s.yimg.com/uu/api/res/1.2/gP2crGO5235WlAW8JtSefg--~B/Zmk9ZmlsbDtoPTYzMDtweW9mZj"
            + "0wO3c9MTIwMDthcHBpZD15dGFjaHlvbg--/https://media-mbst-pub-ue1.s3.amazonaws.com/"
            + "creatr-uploaded-images/2023-04/d71767a0-e408-11ed-ade5-2f185ffd3c47.jpg",
          source: (2400, 1800),
          master: "https://media-mbst-pub-ue1.s3.amazonaws.com/creatr-uploaded-images/2023-04/"
            + "d71767a0-e408-11ed-ade5-2f185ffd3c47.jpg", shape((2400, 1260, 0, 0), 1200, 630)),
        // A proxy of a proxy: the innermost URL is the master, the outer size wins.
        DialectRow(
          "https://s.yimg.com/ny/api/res/1.2/3utRcz6MYwys6LcGa7NymA--/YXBwaWQ9aGlnaGxhbmRlcjt3PTk2"
            + "MDtoPTEzOTIuOTQxMTc2NDcwNTg4Mw--/https://s.yimg.com/uu/api/res/1.2/"
            + "tg3lzxLXmzgNLYLH_Z5Dbg--~B/aD03NDA7dz01MTA7YXBwaWQ9eXRhY2h5b24-/"
            + "https://media.zenfs.com/en/example/abc.jpg", source: (510, 740),
          master: "https://media.zenfs.com/en/example/abc.jpg", shape((510, 740, 0, 0), 510, 740)),
      ])
  }
}
