#pragma once

#include <string>

#include "gongkai/server/net/exchange.h"
#include "gongkai/server/net/router.h"

namespace gongkai::server::net {

// The policy the workbench page runs under: scripts, styles and requests from this origin only,
// nothing inline, never framed. Blobs are allowed for files the page fetched itself (a PDF
// shown in a frame, an image, a download).
inline constexpr const char* kPageContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// Serves the built workbench (`web/dist`, see web/build.mjs) from `webDir`: the page at "/"
// (revalidated on every visit) and its assets under "/assets/", whose names carry a hash of
// their content and so are cached for a year. A `.gz` beside an asset is sent to clients that
// accept gzip.
void addWebRoutes(Router& router, const std::string& webDir);

// Sends `body` as `mediaType` with a strong ETag of its content, answering a matching
// If-None-Match with 304. `encoding` is its Content-Encoding ("" for none).
void sendCached(Exchange& ex, const std::string& body, const std::string& mediaType,
                const std::string& cacheControl, const std::string& encoding);

}  // namespace gongkai::server::net
