// The search endpoints: full-text search with filters, facets and snippets, the index status,
// and a rebuild.
#include <algorithm>

#include "gongkai/core/document.h"
#include "gongkai/core/text.h"
#include "json_build.h"
#include "routes.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::size_t kMaxQueryBytes = 1000;
constexpr std::int64_t kMaxPerPage = 100;
constexpr std::int64_t kMaxPage = 1000;
constexpr std::size_t kMaxFilterValues = 50;

core::Error badParameter(const std::string& field, const std::string& code,
                         const std::string& message) {
  core::Error error = core::Error::make(core::ErrorCode::kInvalidArgument, "invalid_search",
                                        "搜索参数有误 (invalid search parameter): " + field);
  error.fields.push_back({field, code, message});
  return error;
}

// Every value of a filter parameter, given repeated (?year=2022&year=2023) or comma-separated.
std::vector<std::string> valuesOf(const Exchange& ex, const std::string& name) {
  std::vector<std::string> out;
  auto [first, last] = ex.query.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::size_t at = 0;
    const std::string& text = it->second;
    while (at <= text.size()) {
      const std::size_t comma = std::min(text.find(',', at), text.size());
      if (comma > at) out.push_back(text.substr(at, comma - at));
      at = comma + 1;
    }
  }
  return out;
}

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
  core::Result<indexer::SearchRequest> parseRequest(const Exchange& ex) const {
    indexer::SearchRequest request;
    request.query = ex.queryValue("q").value_or("");
    if (request.query.size() > kMaxQueryBytes) {
      return badParameter("q", "query_too_long",
                          "搜索词太长，最多 1000 字节 (query longer than 1000 bytes)");
    }
    if (!core::isValidUtf8(request.query)) {
      return badParameter("q", "invalid_utf8", "搜索词不是有效的 UTF-8 (query is not valid UTF-8)");
    }
    auto take = [&](const std::string& name, auto valid,
                    std::vector<std::string>& into) -> core::Status {
      into = valuesOf(ex, name);
      if (into.size() > kMaxFilterValues) {
        return badParameter(name, "too_many_values", "筛选值太多 (too many filter values)");
      }
      for (const auto& value : into) {
        if (!valid(value))
          return badParameter(name, "unknown_value", "无效的筛选值 (unknown value): " + value);
      }
      return core::okStatus();
    };
    auto any = [](const std::string& value) {
      return !value.empty() && value.size() <= 200 && core::isValidUtf8(value);
    };
    for (auto status :
         {take(
              "category",
              [&](const std::string& v) { return catalogue_.categoryName(v).has_value(); },
              request.categories),
          take(
              "scope", [](const std::string& v) { return core::parseScope(v).has_value(); },
              request.scopes),
          take(
              "status", [](const std::string& v) { return core::parseStatus(v).has_value(); },
              request.statuses),
          take(
              "mode", [](const std::string& v) { return core::parseMode(v).has_value(); },
              request.modes),
          take(
              "period", [](const std::string& v) { return core::parsePeriod(v).has_value(); },
              request.periods),
          take("org_unit", any, request.org_units),
          take(
              "type",
              [](const std::string& v) {
                return v == indexer::kTypeDocument || v == indexer::kTypeFeedback ||
                       v == indexer::kTypeRequest;
              },
              request.types)}) {
      if (!status.ok()) return status.error();
    }
    std::vector<std::string> years;
    auto yearsOk = take(
        "year",
        [](const std::string& v) {
          return v.size() == 4 &&
                 std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 v >= "1900" && v <= "2999";
        },
        years);
    if (!yearsOk.ok()) return yearsOk.error();
    for (const auto& year : years) request.years.push_back(std::stoi(year));
    for (const char* name : {"from", "to"}) {
      if (auto text = ex.queryValue(name)) {
        auto date = core::parseDate(*text);
        if (!date)
          return badParameter(name, "invalid_date",
                              "日期应为 YYYY-MM-DD (date must be YYYY-MM-DD)");
        (std::string(name) == "from" ? request.from : request.to) = date;
      }
    }
    if (request.from && request.to && *request.from > *request.to) {
      return badParameter("from", "empty_range", "起始日期晚于结束日期 (from is after to)");
    }
    const std::string sort = ex.queryValue("sort").value_or("relevance");
    if (sort != "relevance" && sort != "date") {
      return badParameter("sort", "unknown_sort",
                          "排序只能是 relevance 或 date (sort must be relevance or date)");
    }
    request.sort_by_date = sort == "date";
    const std::string history = ex.queryValue("history").value_or("false");
    if (history != "true" && history != "false") {
      return badParameter("history", "not_boolean",
                          "history 只能是 true 或 false (history must be true or false)");
    }
    request.history = history == "true";
    auto page = ex.intQuery("page", 1, kMaxPage);
    if (!page.ok()) return page.error();
    auto perPage = ex.intQuery("per_page", 1, kMaxPerPage);
    if (!perPage.ok()) return perPage.error();
    request.limit = static_cast<int>(perPage.value().value_or(20));
    request.offset = static_cast<int>((page.value().value_or(1) - 1) * request.limit);
    return request;
  }

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

  // Says that the hits after the all-words ones lack some words, and which.
  static std::string partialNotice(const indexer::SearchResult& result) {
    std::string words, typed;
    for (const auto& missing : result.missing_terms) {
      words += (words.empty() ? "「" : "」或「") + missing;
      typed += (typed.empty() ? "" : ", ") + missing;
    }
    if (!words.empty()) words += "」";
    const std::string lead = result.total_all_words == 0
                                 ? "没有同时包含全部检索词的文档。"
                                 : "以下" + std::string(result.total_partial_exact ? " " : "约 ") +
                                       std::to_string(result.total_partial) + " 条";
    return lead + "结果仅包含部分检索词：缺少" + words +
           " (results after the all-words matches lack some words: " + typed + ")";
  }

  void searchDocuments(Exchange& ex) {
    auto request = parseRequest(ex);
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
    std::string notice;
    if (found.value().history_refused) {
      notice =
          "历史版本仅供可查看全部文件的角色检索，以下只含当前版本 "
          "(history is searched only for roles that see everything; current versions only)";
    } else if (result.fallback_query) {
      notice =
          "搜索语法无法解析，已按普通词语搜索 (the query syntax could not be parsed; "
          "searched word by word)";
    } else if (result.total == 0 && asked.query.find_first_not_of(" \t") != std::string::npos) {
      notice = "没有找到匹配的文档 (no matching documents)";
    }
    if (result.total_partial > 0) notice += (notice.empty() ? "" : " ") + partialNotice(result);
    if (!notice.empty()) body->set("notice", notice);
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
