// spa-router: a CloudFront Function (runtime cloudfront-js-2.0) on viewer requests of the
// default behavior, the S3 bucket that holds the single-page app.
//
// A path whose last segment has no file extension is a client-side route of the app
// (/orders/42, /settings/): CloudFront fetches /index.html instead and the app's router reads
// the path from the address bar. A path with an extension (/assets/index-3f2a1c.js,
// /favicon.ico) is a file and passes through unchanged, so a missing file is still an error
// instead of an HTML page. Everything under /.well-known/ (RFC 8615) is a file too, with or
// without an extension: /.well-known/apple-app-site-association and similar files that
// platforms fetch by a fixed, extension-less name must be served as uploaded, never as the app.
// The API path pattern has a behavior of its own, so API requests never reach this function
// and API errors are never rewritten (unlike CustomErrorResponses).
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/.well-known/') === 0) {
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
