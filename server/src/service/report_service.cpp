#include "gongkai/server/service/report_service.h"

#include <algorithm>
#include <map>

#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/storage_error.h"

namespace gongkai::server::service {
namespace {

using core::DocumentVersion;
using core::Error;
using core::ErrorCode;

// Standing items (常设) first, then the most recently published.
bool boardOrder(const DocumentVersion& a, const DocumentVersion& b) {
  const bool standingA = a.metadata.period == core::Period::kStanding;
  const bool standingB = b.metadata.period == core::Period::kStanding;
  if (standingA != standingB) return standingA;
  const auto publishedAt = [](const DocumentVersion& v) {
    return v.disclosure.published ? v.disclosure.published->at : v.updated_at;
  };
  return publishedAt(a) > publishedAt(b);
}

Error badUnit() {
  const std::string message = "查询参数 org_unit 须为 已有的单位代码 (invalid org_unit)";
  return Error{
      ErrorCode::kMalformed, "invalid_query", message, {{"org_unit", "invalid_value", message}}};
}

}  // namespace

ReportService::ReportService(store::Store& store, CatalogueService& catalogue,
                             FeedbackService& feedback, RequestService& requests,
                             PolicyService& policies, const policies::CategoryCatalogue& categories,
                             AuthorizerSource authorizer)
    : store_(store),
      catalogue_(catalogue),
      feedback_(feedback),
      requests_(requests),
      policies_(policies),
      categories_(categories),
      authorizer_(std::move(authorizer)) {}

core::Result<Board> ReportService::board(const Subject& subject,
                                         const std::optional<std::string>& unit) {
  store::DocumentFilter filter;
  filter.status = "published";
  filter.org_unit = unit;
  filter.limit = 1000;
  if (!subject.system) filter.visibility = authorizer_().visibility(subject.principal);
  store::DocumentPage page;
  try {
    auto session = store_.read();
    page = store::DocumentRepository::list(*session, filter);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  std::map<std::string, std::vector<DocumentVersion>> byCategory;
  for (auto& v : page.documents) byCategory[v.metadata.category].push_back(std::move(v));
  Board board;
  board.total = page.total;
  for (const auto& category : categories_.all()) {
    auto found = byCategory.find(category.code);
    if (found == byCategory.end()) continue;
    std::stable_sort(found->second.begin(), found->second.end(), boardOrder);
    board.categories.push_back({category.code, category.name, std::move(found->second)});
  }
  return board;
}

core::Result<ComplianceReport> ReportService::compliance(const Subject& subject,
                                                         const std::string& unit,
                                                         std::optional<int> year) {
  const policies::Authorizer authorizer = authorizer_();
  if (auto allowed = authorizer.require(subject.principal, "reports.read"); !allowed.ok()) {
    return allowed.error();
  }
  if (unit.empty() || !year) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "missing_parameter",
                              "须指定 org_unit 和 year (org_unit and year are required)");
    if (unit.empty())
      error.fields.push_back({"org_unit", "missing_field", "缺少单位 (org_unit missing)"});
    if (!year) error.fields.push_back({"year", "missing_field", "缺少年份 (year missing)"});
    return error;
  }
  if (auto allowed = authorizer.requireForUnit(subject.principal, "reports.read", unit, "public");
      !allowed.ok()) {
    return allowed.error();
  }
  // The report shows no more of the catalogue than reading it does.
  auto items = catalogue_.list(subject, unit, *year);
  if (!items.ok()) return items.error();
  std::map<std::int64_t, std::size_t> indexOf;
  std::vector<policies::CatalogueEntry> entries;
  for (const auto& item : items.value()) {
    indexOf[item.id] = entries.size();
    entries.push_back({item.id, item.category, item.content,
                       std::string(core::toString(item.period)), policies::parseRhythm(item.rhythm),
                       item.time_limit_working_days});
  }
  // Only the documents that disclose these items are read (an index on the item), not every
  // document of the unit; all of them, since every publication counts.
  store::DocumentFilter filter;
  filter.org_unit = unit;
  filter.catalogue_items.emplace();
  for (const auto& [id, at] : indexOf) filter.catalogue_items->push_back(id);
  filter.limit = INT64_MAX;
  store::DocumentPage documents;
  try {
    auto session = store_.read();
    documents = store::DocumentRepository::list(*session, filter);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  std::vector<std::vector<policies::Publication>> publications(entries.size());
  for (const auto& v : documents.documents) {
    // A withdrawn publication no longer counts as disclosed.
    if (!v.metadata.catalogue_item || !v.disclosure.published || v.disclosure.withdrawn) continue;
    const auto at = indexOf.find(*v.metadata.catalogue_item);
    if (at == indexOf.end()) continue;
    // Counted for everyone; named only to those who may see the document.
    const bool visible = authorizer.maySee(subject.principal, v);
    policies::Publication publication{visible ? v.document_id : 0, visible ? v.metadata.title : "",
                                      core::chinaDate(v.disclosure.published->at), std::nullopt};
    if (v.disclosure.reviewed && v.disclosure.confidentiality_reviewed) {
      publication.approved = core::chinaDate(v.disclosure.reviewed->at);
    }
    publications[at->second].push_back(publication);
  }
  ComplianceReport report;
  report.org_unit = unit;
  report.year = *year;
  report.as_of = core::chinaDate(core::nowUtc());
  report.items = policies::evaluateCompliance(
      entries, publications, *year, policies_.engine()->policies().calendar, report.as_of);
  report.summary = policies::summarise(report.items, *year);
  return report;
}

core::Result<policies::FeedbackReport> ReportService::feedback(const Subject& subject,
                                                               const std::string& unit,
                                                               std::optional<int> year) {
  const policies::Authorizer authorizer = authorizer_();
  if (auto allowed = authorizer.require(subject.principal, "reports.read"); !allowed.ok()) {
    return allowed.error();
  }
  const core::Date today = feedback_.today();
  const int reportYear = year.value_or(today.year);
  if (!unit.empty() && !authorizer.units().contains(unit)) return badUnit();
  // A role bound to units reports on those units (and the units under them) only.
  if (!unit.empty() && !authorizer.mayInUnit(subject.principal, "reports.read", unit)) {
    return Error::make(ErrorCode::kForbidden, "unit_forbidden",
                       "您无权查看该单位的统计 (your roles do not cover this unit): " + unit);
  }
  std::optional<std::vector<std::string>> units =
      authorizer.unitsWhere(subject.principal, "reports.read");
  if (!unit.empty()) {
    const auto subtree = authorizer.units().subtree(unit);
    units = std::vector<std::string>(subtree.begin(), subtree.end());
  }
  // The year's cases only, read in SQL; the bounds are a day wide of the China-time year on
  // either side, and the report counts each case by its China date.
  const std::string from = std::to_string(reportYear - 1) + "-12-31T00:00:00Z";
  const std::string before = std::to_string(reportYear + 1) + "-01-02T00:00:00Z";
  const auto receivedThen = [&](auto filter) {
    filter.units = units;
    filter.received_from = from;
    filter.received_before = before;
    filter.limit = INT64_MAX;
    return filter;
  };
  // Read as the server: the units were decided above.
  Subject server;
  server.system = true;
  auto feedback = feedback_.list(server, receivedThen(store::FeedbackFilter{}));
  if (!feedback.ok()) return feedback.error();
  auto requests = requests_.list(server, receivedThen(store::RequestFilter{}));
  if (!requests.ok()) return requests.error();
  const policies::PolicySet& policy = authorizer.engine().policies();
  return policies::buildFeedbackReport(feedback.value().items, requests.value().items, reportYear,
                                       unit, today, policy.time_limits, policy.calendar);
}

}  // namespace gongkai::server::service
