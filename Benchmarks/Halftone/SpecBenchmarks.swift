import Benchmark
import HalftoneSpec

/// Reading CDN URLs into specs and naming their variants: 1,000 URLs per iteration.
func registerSpecBenchmarks() {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo,
    maxDuration: .seconds(2), maxIterations: 1_000)

  for (dialect, url, width, height) in specURLs {
    Benchmark("spec/parse/\(dialect)", configuration: configuration) { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height))
      }
    }
    Benchmark("spec/canonical key/\(dialect)", configuration: configuration) {
      (benchmark: Benchmark, spec: ThumbnailSpec) in
      for _ in benchmark.scaledIterations {
        blackHole(spec.canonicalKey)
      }
    } setup: {
      try ThumbnailSpec.parse(url: url, declaredWidth: width, declaredHeight: height)
    }
  }
}

/// One typical article URL per dialect, with the size its record declares.
let specURLs: [(dialect: String, url: String, width: Int?, height: Int?)] = [
  (
    "fastly",
    "https://www.gannett-cdn.com/presto/2019/05/01/USAT/0b6f.JPG?crop=3104,2328,x175,y0&quality=50&width=640",
    640, 480
  ),
  (
    "imgix",
    "https://assets.imgix.net/photos/harbour.jpg?w=1200&h=630&fit=crop&crop=faces&auto=format,compress&q=70",
    nil, nil
  ),
  (
    "photon",
    "https://i0.wp.com/example.com/wp-content/uploads/2020/01/harbour.jpg?resize=640%2C480&quality=80&ssl=1",
    nil, nil
  ),
  (
    "thumbor",
    "https://thumbs.example.com/unsafe/fit-in/640x480/filters:quality(80)/example.com/photos/harbour.jpg",
    nil, nil
  ),
  (
    "cloudinary",
    "https://res.cloudinary.com/demo/image/upload/c_crop,w_3104,h_2328,x_175,y_0/c_fill,g_auto,w_640,h_480/q_auto/f_auto/v1712/news/harbour.jpg",
    640, 480
  ),
  (
    "substack",
    "https://substackcdn.com/image/fetch/w_1456,c_limit,f_auto,q_auto:good,fl_progressive:steep/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2F0b6f.jpeg",
    nil, nil
  ),
  (
    "cloudflare",
    "https://www.example.com/cdn-cgi/image/width=640,height=480,fit=cover,gravity=auto,quality=80,format=auto/uploads/harbour.jpg",
    nil, nil
  ),
  (
    "nextjs",
    "https://www.example.com/_next/image?url=%2F_next%2Fstatic%2Fmedia%2Fharbour.0b6f.jpg&w=1080&q=75",
    nil, nil
  ),
  (
    "brightspot",
    "https://example.brightspotcdn.com/dims4/default/0b6f21e/2147483647/strip/true/crop/3104x2328+175+0/resize/640x480!/quality/90/?url=https%3A%2F%2Fexample-brightspot.s3.amazonaws.com%2F0b%2F6f%2Fharbour.jpg",
    640, 480
  ),
  (
    "arc v1",
    "https://www.example.com/resizer/a0b1c2d3e4f5a6b7c8d9e0f1a2b=/640x480/filters:focal(1552x1164:1553x1165):quality(70)/cloudfront-us-east-1.images.arcpublishing.com/example/HARBOUR.jpg",
    640, 480
  ),
  (
    "arc v2",
    "https://www.example.com/resizer/v2/HARBOUR0B6F.jpg?auth=0b6f21e0a1b2c3d4e5f6&width=640&height=480&focal=1552,1164&smart=true",
    640, 480
  ),
  (
    "vox thumbor",
    "https://cdn.vox-cdn.com/thumbor/aBcD0123456789aBcD012345678=/175x0:3279x2328/640x480/filters:focal(1552x1164:1553x1165):format(webp)/cdn.vox-cdn.com/uploads/chorus_asset/file/1/harbour.jpg",
    640, 480
  ),
  (
    "guardian",
    "https://i.guim.co.uk/img/media/0b6f21e0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6/175_0_3104_2328/master/3104.jpg?width=640&quality=85&auto=format&fit=max&s=0b6f21e0a1b2c3d4e5f6a7b8c9d0e1f2",
    nil, nil
  ),
  (
    "sanity",
    "https://cdn.sanity.io/images/zp7mbokg/production/0b6f21e0a1b2c3d4e5f6-3454x2328.jpg?rect=175,0,3104,2328&w=640&h=480&fit=crop&auto=format&q=80",
    nil, nil
  ),
  (
    "contentful",
    "https://images.ctfassets.net/yadj1kx9rmg0/wtrHxeu3zEoEce2MokCSi/cf6f68efdcf625fdc060607df0f3baef/harbour.jpg?w=640&h=480&fit=fill&f=faces&q=80&fm=webp",
    nil, nil
  ),
  (
    "akamai",
    "https://www.example.com/images/harbour.jpg?im=Crop,rect=(175,0,3104,2328);Resize,width=640,height=480;Quality=80",
    nil, nil
  ),
  (
    "imagekit",
    "https://ik.imagekit.io/demo/tr:cm-extract,x-175,y-0,w-3104,h-2328:w-640,h-480,q-80/news/harbour.jpg",
    nil, nil
  ),
  (
    "yahoo",
    "https://s.yimg.com/ny/api/res/1.2/0b6f21e0a1b2c3d4e5f6aQ--/YXBwaWQ9aGlnaGxhbmRlcjt3PTY0MDtoPTQ4MA--/https://media.zenfs.com/en/example/0b6f21e0a1b2c3d4e5f6",
    nil, nil
  ),
  (
    "rendition wordpress",
    "https://www.example.com/wp-content/uploads/2024/05/harbour-1024x683.jpg",
    640, 427
  ),
  (
    "rendition nyt",
    "https://static01.nyt.com/images/2024/05/01/world/01harbour/01harbour-articleLarge.jpg?quality=75&auto=webp",
    nil, nil
  ),
  (
    "rendition wikimedia",
    "https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/Harbour.jpg/640px-Harbour.jpg",
    nil, nil
  ),
]
