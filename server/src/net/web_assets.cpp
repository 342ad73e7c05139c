#include "web_assets.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "gongkai/core/result.h"
#include "gongkai/core/sha256.h"
#include "gongkai/server/net/exchange.h"

namespace gongkai::server::net {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

std::optional<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Asset names are what esbuild writes: letters, digits, '-', '_' and '.', never starting with
// a dot, so no name can leave the assets folder.
bool isAssetName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string mediaTypeOf(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string ext = dot == std::string_view::npos ? "" : std::string(name.substr(dot + 1));
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "woff2") return "font/woff2";
  if (ext == "json" || ext == "map") return "application/json";
  return "application/octet-stream";
}

bool acceptsGzip(const Exchange& ex) {
  const std::string accepted = Poco::toLower(ex.request.get("Accept-Encoding", ""));
  return accepted.find("gzip") != std::string::npos;
}

void notFound(Exchange& ex) {
  ex.sendProblem(Error::make(ErrorCode::kNotFound, "not_found", "页面不存在 (no such page)"));
}

void page(Exchange& ex, const std::string& webDir) {
  if (webDir.empty()) return notFound(ex);
  auto body = readFile(std::filesystem::path(webDir) / "index.html");
  if (!body) return notFound(ex);
  ex.response.set("Content-Security-Policy", kPageContentSecurityPolicy);
  sendCached(ex, *body, "text/html; charset=utf-8", "no-cache", "");
}

void asset(Exchange& ex, const std::string& webDir) {
  const std::string name = ex.params["name"];
  if (webDir.empty() || !isAssetName(name)) return notFound(ex);
  const auto path = std::filesystem::path(webDir) / "assets" / name;
  std::optional<std::string> body;
  std::string encoding;
  if (acceptsGzip(ex)) {
    body = readFile(path.string() + ".gz");
    if (body) encoding = "gzip";
  }
  if (!body) body = readFile(path);
  if (!body) return notFound(ex);
  sendCached(ex, *body, mediaTypeOf(name), "public, max-age=31536000, immutable", encoding);
}

}  // namespace

void sendCached(Exchange& ex, const std::string& body, const std::string& mediaType,
                const std::string& cacheControl, const std::string& encoding) {
  const std::string etag = "\"" + core::sha256Hex(body).substr(0, 32) + "\"";
  ex.response.set("ETag", etag);
  ex.response.set("Cache-Control", cacheControl);
  ex.response.set("Vary", "Accept-Encoding");
  if (ex.request.get("If-None-Match", "") == etag) {
    ex.response.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
    ex.response.send();
    return;
  }
  if (!encoding.empty()) ex.response.set("Content-Encoding", encoding);
  ex.response.setContentType(mediaType);
  sendBody(ex.request, ex.response, body);
}

void addWebRoutes(Router& router, const std::string& webDir) {
  router.add("GET", "/", [webDir](Exchange& ex) { page(ex, webDir); });
  router.add("GET", "/index.html", [webDir](Exchange& ex) { page(ex, webDir); });
  router.add("GET", "/assets/{name}", [webDir](Exchange& ex) { asset(ex, webDir); });
}

}  // namespace gongkai::server::net
