#include "gongkai/server/service/report_service.h"

#include <algorithm>
#include <map>

#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/store/report_repository.h"
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
                             FeedbackService& feedback, PolicyService& policies,
                             const policies::CategoryCatalogue& categories,
                             AuthorizerSource authorizer)
    : store_(store),
      catalogue_(catalogue),
      feedback_(feedback),
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
  // Only the publications that still count, of these items, and only what the report shows of
  // them.
  std::vector<std::int64_t> itemIds;
  for (const auto& [id, at] : indexOf) itemIds.push_back(id);
  std::vector<store::ReportRepository::Publication> found;
  try {
    auto session = store_.read();
    found = store::ReportRepository::publications(*session, unit, itemIds,
                                                  authorizer.visibility(subject.principal));
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  std::vector<std::vector<policies::Publication>> publications(entries.size());
  for (const auto& p : found) {
    // Counted for everyone; named only to those who may see the document.
    policies::Publication publication{p.visible ? p.document_id : 0, p.visible ? p.title : "",
                                      core::chinaDate(p.published_at), std::nullopt};
    if (p.approved_at) publication.approved = core::chinaDate(*p.approved_at);
    publications[indexOf.at(p.catalogue_item)].push_back(publication);
  }
  ComplianceReport report;
  report.org_unit = unit;
  report.year = *year;
  report.as_of = core::chinaDate(core::nowUtc());
  report.items = policies::evaluateCompliance(
      entries, publications, *year, policies_.engine()->policies().calendar, report.as_of);
  for (auto& figures : policies::summarise(report.items, *year)) {
    const auto* known = categories_.find(figures.category);
    report.summary.push_back({std::move(figures), known ? known->name : ""});
  }
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
  // Counted in SQL, as the server: the units were decided above.
  const store::ReportRepository::CaseQuery query{units, reportYear, today};
  policies::HandlingCounts feedback, requests;
  try {
    auto session = store_.read();
    feedback = store::ReportRepository::feedbackCounts(*session, query);
    requests = store::ReportRepository::requestCounts(*session, query);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  return policies::buildFeedbackReport(feedback, requests, reportYear, unit,
                                       authorizer.engine().policies().calendar);
}

}  // namespace gongkai::server::service
