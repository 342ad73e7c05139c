#include "gongkai/server/service/case_flow.h"

#include "gongkai/core/password.h"
#include "gongkai/policies/feedback_flow.h"
#include "gongkai/policies/request_flow.h"
#include "gongkai/server/store/storage_error.h"
#include "versioned_save.h"

namespace gongkai::server::service {

using core::Error;
using core::ErrorCode;

namespace {

// How each kind is named in what the services answer.
struct KindNames {
  const char* not_found_reason;
  const char* not_found;  // followed by the id
  const char* unknown_receipt;
  const char* unit_forbidden;
};

template <typename Record>
constexpr KindNames kNames{};

template <>
constexpr KindNames kNames<core::FeedbackRecord>{
    "feedback_not_found",
    "意见记录不存在 (no such feedback): ", "回执码无效或不存在 (no case with that receipt code)",
    "您无权办理该单位的意见 (your roles do not cover this unit)"};

template <>
constexpr KindNames kNames<core::DisclosureRequest>{
    "request_not_found", "申请不存在 (no such application): ",
    "回执码无效或不存在 (no application with that receipt code)",
    "您无权办理该单位的申请 (your roles do not cover this unit)"};

template <typename Record>
Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, kNames<Record>.not_found_reason,
                     kNames<Record>.not_found + std::to_string(id));
}

}  // namespace

template <typename Record>
CaseFlow<Record>::CaseFlow(store::Store& store, PolicyService& policies,
                           AuthorizerSource authorizer, NameCheck unitExists,
                           SubmissionLimiter& limiter, Clock clock)
    : store_(store),
      policies_(policies),
      access_(std::move(authorizer)),
      unitExists_(std::move(unitExists)),
      limiter_(limiter),
      clock_(std::move(clock)) {}

template <typename Record>
policies::Timeliness CaseFlow<Record>::timeliness(const Record& record) const {
  const auto policy = engine();
  return policies::timelinessOf(record, today(), policy->policies().time_limits,
                                policy->policies().calendar);
}

template <typename Record>
core::Result<Submitted<Record>> CaseFlow<Record>::file(const Subject& subject, Record record,
                                                       bool onBehalf) {
  if (!onBehalf) {
    if (auto admitted = limiter_.admit(subject.address); !admitted.ok()) return admitted.error();
  }
  const std::string receipt = core::newReceiptCode();
  record.receipt_sha256 = core::tokenDigest(receipt);
  record.version = 1;
  record.created_by = record.updated_by = subject.id;
  record.created_at = record.updated_at = clock_();
  auto saved = store_.write<Record>([&](store::Transaction& tx) -> core::Result<Record> {
    record.id = store::CaseRepository<Record>::nextId(tx);
    saveWithAudit(tx, subject, record);
    return record;
  });
  if (!saved.ok()) return saved.error();
  return Submitted<Record>{std::move(saved).value(), receipt};
}

template <typename Record>
core::Result<Record> CaseFlow<Record>::get(const Subject& subject, std::int64_t id) {
  if (auto readable = access_.readableUnits(subject); !readable.ok()) return readable.error();
  try {
    auto session = store_.read();
    auto found = store::CaseRepository<Record>::current(*session, id);
    if (!found) return notFound<Record>(id);
    if (auto allowed = access_.requireReader(subject, found->org_unit, notFound<Record>(id));
        !allowed.ok())
      return allowed.error();
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

template <typename Record>
core::Result<std::vector<Record>> CaseFlow<Record>::versions(const Subject& subject,
                                                             std::int64_t id) {
  if (auto readable = access_.readableUnits(subject); !readable.ok()) return readable.error();
  try {
    auto session = store_.read();
    auto all = store::CaseRepository<Record>::versions(*session, id);
    if (all.empty()) return notFound<Record>(id);
    if (auto allowed = access_.requireReader(subject, all.back().org_unit, notFound<Record>(id));
        !allowed.ok())
      return allowed.error();
    return all;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

template <typename Record>
core::Result<Record> CaseFlow<Record>::byReceipt(const std::string& code) {
  const Error unknown =
      Error::make(ErrorCode::kNotFound, "receipt_not_found", kNames<Record>.unknown_receipt);
  const auto digest = core::receiptDigest(code);
  if (!digest) return unknown;
  try {
    auto session = store_.read();
    auto found = store::CaseRepository<Record>::byReceipt(*session, *digest);
    if (!found) return unknown;
    return std::move(*found);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

template <typename Record>
core::Result<Page<Record>> CaseFlow<Record>::list(const Subject& subject, const CaseQuery& query) {
  store::CaseFilter filter;
  filter.status = query.status;
  filter.org_unit = query.org_unit;
  filter.channel = query.channel;
  if (query.overdue) filter.overdue_on = today().toString();
  filter.limit = query.limit;
  filter.offset = query.offset;
  auto readable = access_.readableUnits(subject);
  if (!readable.ok()) return readable.error();
  filter.units = std::move(readable).value();
  return page(filter);
}

template <typename Record>
core::Result<Page<Record>> CaseFlow<Record>::publicPage(std::string_view status, std::int64_t limit,
                                                        std::int64_t offset) {
  store::CaseFilter filter;
  filter.status = std::string(status);
  filter.limit = limit;
  filter.offset = offset;
  return page(filter);
}

template <typename Record>
core::Result<Page<Record>> CaseFlow<Record>::page(const store::CaseFilter& filter) {
  try {
    auto session = store_.read();
    Page<Record> page;
    page.items = store::CaseRepository<Record>::list(*session, filter);
    page.total = store::CaseRepository<Record>::count(*session, filter);
    return page;
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
}

template <typename Record>
void CaseFlow<Record>::checkUnit(FieldErrors& errors, const std::string& unit) const {
  if (!unit.empty() && !unitExists_(unit)) {
    errors.add("org_unit", "unknown_unit", "没有该单位 (no such unit)");
  }
}

template <typename Record>
void CaseFlow<Record>::checkCategory(FieldErrors& errors, const std::string& category) const {
  if (!category.empty() && engine()->policies().categories.find(category) == nullptr) {
    errors.add("category", "unknown_category", "没有该公开类别 (no such category)");
  }
}

template <typename Record>
core::Result<Record> CaseFlow<Record>::update(const Subject& subject, std::int64_t id,
                                              const std::string& handTo, const Next& next) {
  const auto policy = engine();
  return store_.write<Record>([&](store::Transaction& tx) -> core::Result<Record> {
    auto current = store::CaseRepository<Record>::current(tx, id);
    if (!current) return notFound<Record>(id);
    if (!access_.handles(subject, current->org_unit) ||
        (!handTo.empty() && !access_.handles(subject, handTo))) {
      return Error::make(ErrorCode::kForbidden, "unit_forbidden", kNames<Record>.unit_forbidden);
    }
    auto made = next(*current, policy->policies());
    if (!made.ok()) return made.error();
    Record record = std::move(made).value();
    record.version = current->version + 1;
    record.updated_by = subject.id;
    record.updated_at = clock_();
    saveWithAudit(tx, subject, record);
    return record;
  });
}

template class CaseFlow<core::FeedbackRecord>;
template class CaseFlow<core::DisclosureRequest>;

namespace {

// ?status= (checked by `isStatus`, `statuses` saying which there are), ?page= and ?per_page=.
core::Result<CaseQuery> caseQuery(const QueryParameters& parameters,
                                  bool (*isStatus)(std::string_view), const std::string& statuses) {
  CaseQuery query;
  query.status = firstValue(parameters, "status");
  if (query.status && !isStatus(*query.status)) return invalidParameter("status", statuses);
  auto page = pageParameters(parameters);
  if (!page.ok()) return page.error();
  query.limit = page.value().per_page;
  query.offset = page.value().offset();
  return query;
}

}  // namespace

core::Result<CaseQuery> parseFeedbackQuery(const QueryParameters& parameters) {
  auto query = caseQuery(
      parameters, [](std::string_view s) { return core::parseFeedbackStatus(s).has_value(); },
      "received、assigned、in_progress、answered 或 closed");
  if (!query.ok()) return query;
  query.value().org_unit = firstValue(parameters, "org_unit");
  query.value().channel = firstValue(parameters, "channel");
  if (query.value().channel && !core::isFeedbackChannel(*query.value().channel)) {
    return invalidParameter("channel",
                            "hotline、suggestion_box、letter、reception_day、meeting 或 online");
  }
  auto overdue = booleanParameter(parameters, "overdue");
  if (!overdue.ok()) return overdue.error();
  query.value().overdue = overdue.value().value_or(false);
  return query;
}

core::Result<CaseQuery> parseApplicationQuery(const QueryParameters& parameters) {
  return caseQuery(
      parameters, [](std::string_view s) { return core::parseRequestStatus(s).has_value(); },
      "received、acknowledged 或 decided");
}

}  // namespace gongkai::server::service
