// The search endpoints: full-text search with filters, facets and snippets, the index status,
// and a rebuild.
#include <algorithm>

#include "gongkai/server/service/search_query.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Counts = std::map<std::string, std::int64_t>;

// A facet's values, most frequent first; categories also by the name the catalogue gives them.
Poco::JSON::Array::Ptr facetJson(const service::CatalogueService& catalogue,
                                 const std::string& field, const Counts& counts) {
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return json::array(sorted, [&](const auto& facet) {
    auto item = json::object({"value"_f = facet.first, "count"_f = facet.second});
    if (field == "category") {
      if (auto name = catalogue.categoryName(facet.first)) item->set("name", *name);
    }
    return item;
  });
}

Object::Ptr hitJson(const service::SearchHit& hit) {
  return json::object({"type"_f = hit.type, "id"_f = hit.document_id, "version"_f = hit.version,
                       "current"_f = hit.current, "title"_f = hit.title,
                       "doc_number"_f = json::textOrNull(hit.doc_number),
                       "category"_f = hit.category, "org_unit"_f = hit.org_unit,
                       "scope"_f = hit.scope, "status"_f = hit.status, "date"_f = hit.date,
                       "score"_f = hit.score, "snippet"_f = hit.snippet,
                       "match"_f = hit.partial ? "partial" : "all",
                       "missing_terms"_f = json::array(hit.missing_terms)});
}

Object::Ptr statusJson(const service::SearchStatus& s) {
  return json::object(
      {"documents_indexed"_f = s.index.documents, "versions_indexed"_f = s.index.versions,
       "pending_updates"_f = s.pending, "last_commit"_f = json::textOrNull(s.index.last_commit),
       "index_generation"_f = s.index.generation, "index_bytes"_f = s.index.bytes,
       "rebuilding"_f = s.rebuilding, "last_rebuild"_f = json::textOrNull(s.last_rebuild),
       "last_error"_f = json::textOrNull(s.last_error),
       "set_aside"_f = json::textOrNull(s.set_aside), "role"_f = s.role,
       "writer"_f = json::textOrNull(s.writer), "reading"_f = s.reading,
       "writer_last_commit"_f = json::textOrNull(s.writer_last_commit),
       "replica_lag_seconds"_f = s.replica_lag_seconds});
}

}  // namespace

void addSearchRoutes(Router& router, service::SearchService& search,
                     const service::CatalogueService& catalogue) {
  router.add("GET", "/api/v1/search", [&search, &catalogue](Exchange& ex) {
    auto request = service::parseSearchQuery(ex.query, [&](const std::string& code) {
      return catalogue.categoryName(code).has_value();
    });
    if (!request.ok()) return ex.sendProblem(request.error());
    const auto& asked = request.value();
    auto found = search.search(ex.subject, asked);
    if (!found.ok()) return ex.sendProblem(found.error());
    const service::SearchResult& result = found.value().result;
    Object::Ptr facets = new Object;
    for (const char* field : {"category", "year", "scope", "org_unit"}) {
      const auto it = result.facets.find(field);
      facets->set(field,
                  facetJson(catalogue, field, it == result.facets.end() ? Counts{} : it->second));
    }
    auto body = json::object(
        {"query"_f = asked.query, "total"_f = result.total,
         "total_all_words"_f = result.total_all_words, "total_partial"_f = result.total_partial,
         "total_partial_exact"_f = result.total_partial_exact,
         "missing_terms"_f = json::array(result.missing_terms),
         "page"_f = asked.offset / asked.limit + 1, "per_page"_f = asked.limit,
         "hits"_f = json::array(result.hits, hitJson), "facets"_f = facets,
         "facets_tier"_f = result.facets_count_partial ? "partial" : "all_words"});
    if (!found.value().notice.empty()) body->set("notice", found.value().notice);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  });
  router.add("GET", "/api/v1/search/status",
             [&search](Exchange& ex) { ex.reply(search.status(ex.subject), statusJson); });
  router.add("POST", "/api/v1/search/rebuild", [&search](Exchange& ex) {
    ex.reply(
        search.startRebuild(ex.subject),
        [&](const auto&) {
          ex.response.set("Location", "/api/v1/search/status");
          return json::object(
              {"status"_f = "rebuilding",
               "message"_f =
                   "索引重建已开始，完成后自动切换 (rebuild started; it is swapped in when done)"});
        },
        HTTPResponse::HTTP_ACCEPTED);
  });
}

}  // namespace gongkai::server::http
