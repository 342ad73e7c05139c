// The search endpoints: full-text search with filters, facets and snippets, the index status,
// and a rebuild.
#include <algorithm>

#include "gongkai/server/service/search_query.h"
#include "json_build.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

class SearchRoutes {
 public:
  SearchRoutes(service::SearchService& search, const service::CatalogueService& catalogue)
      : search_(search), catalogue_(catalogue) {}

  static void addTo(const std::shared_ptr<SearchRoutes>& self, Router& router) {
    router.add("GET", "/api/v1/search", [self](Exchange& ex) { self->searchDocuments(ex); });
    router.add("GET", "/api/v1/search/status", [self](Exchange& ex) { self->status(ex); });
    router.add("POST", "/api/v1/search/rebuild", [self](Exchange& ex) { self->rebuild(ex); });
  }

 private:
  Poco::JSON::Array::Ptr facetList(const std::string& field,
                                   const std::map<std::string, std::int64_t>& counts) const {
    std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return json::array(sorted, [&](const auto& facet) {
      auto item = json::object({"value"_f = facet.first, "count"_f = facet.second});
      if (field == "category") {
        if (auto name = catalogue_.categoryName(facet.first)) item->set("name", *name);
      }
      return item;
    });
  }

  static Object::Ptr hitJson(const indexer::SearchHit& hit) {
    return json::object({"type"_f = hit.type, "id"_f = hit.document_id, "version"_f = hit.version,
                         "current"_f = hit.current, "title"_f = hit.title,
                         "doc_number"_f = json::textOrNull(hit.doc_number),
                         "category"_f = hit.category, "org_unit"_f = hit.org_unit,
                         "scope"_f = hit.scope, "status"_f = hit.status, "date"_f = hit.date,
                         "score"_f = hit.score, "snippet"_f = hit.snippet,
                         "match"_f = hit.partial ? "partial" : "all",
                         "missing_terms"_f = json::array(hit.missing_terms)});
  }

  void searchDocuments(Exchange& ex) {
    auto request = service::parseSearchQuery(ex.query, [this](const std::string& code) {
      return catalogue_.categoryName(code).has_value();
    });
    if (!request.ok()) return ex.sendProblem(request.error());
    auto found = search_.search(ex.subject, request.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const indexer::SearchResult& result = found.value().result;
    const auto& asked = request.value();
    Object::Ptr facets = new Object;
    for (const char* field : {"category", "year", "scope", "org_unit"}) {
      const auto it = result.facets.find(field);
      facets->set(field,
                  facetList(field, it == result.facets.end() ? std::map<std::string, std::int64_t>{}
                                                             : it->second));
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
  }

  void status(Exchange& ex) {
    ex.reply(search_.status(ex.subject), [](const auto& s) {
      return json::object(
          {"documents_indexed"_f = s.index.documents, "versions_indexed"_f = s.index.versions,
           "pending_updates"_f = s.pending, "last_commit"_f = json::textOrNull(s.index.last_commit),
           "index_generation"_f = s.index.generation, "index_bytes"_f = s.index.bytes,
           "rebuilding"_f = s.rebuilding, "last_rebuild"_f = json::textOrNull(s.last_rebuild),
           "last_error"_f = json::textOrNull(s.last_error),
           "set_aside"_f = json::textOrNull(s.set_aside), "role"_f = s.role,
           "writer"_f = json::textOrNull(s.writer), "reading"_f = s.reading,
           "writer_last_commit"_f = json::textOrNull(s.writer_last_commit),
           "replica_lag_seconds"_f = s.replica_lag_seconds
                                         ? Poco::Dynamic::Var(*s.replica_lag_seconds)
                                         : Poco::Dynamic::Var()});
    });
  }

  void rebuild(Exchange& ex) {
    ex.reply(
        search_.startRebuild(ex.subject),
        [&](const auto&) {
          ex.response.set("Location", "/api/v1/search/status");
          return json::object(
              {"status"_f = "rebuilding",
               "message"_f =
                   "索引重建已开始，完成后自动切换 (rebuild started; it is swapped in when done)"});
        },
        HTTPResponse::HTTP_ACCEPTED);
  }

  service::SearchService& search_;
  const service::CatalogueService& catalogue_;
};

}  // namespace

void addSearchRoutes(Router& router, service::SearchService& search,
                     const service::CatalogueService& catalogue) {
  SearchRoutes::addTo(std::make_shared<SearchRoutes>(search, catalogue), router);
}

}  // namespace gongkai::server::http
