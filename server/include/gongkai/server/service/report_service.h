#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/policies/compliance.h"
#include "gongkai/policies/feedback_report.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// 公开栏: what is published now, as the caller may see it, by category (in the catalogue's
// order), standing items (常设) first within each, then newest first.
struct BoardCategory {
  std::string code, name;
  std::vector<core::DocumentVersion> documents;
};
struct Board {
  std::int64_t total = 0;
  std::vector<BoardCategory> categories;
};

// The figures the reports are made of, as the policies reckon them.
using ItemCompliance = policies::ItemCompliance;
using FeedbackReport = policies::FeedbackReport;
using HandlingFigures = policies::HandlingFigures;

// One category's line of the compliance summary, with the name the categories give its code
// ("" for a code they do not know).
struct CategoryLine : policies::CategorySummary {
  std::string name;
};

// The compliance calendar of one unit's catalogue for a year, as of today (China time).
struct ComplianceReport {
  std::string org_unit;
  int year = 0;
  core::Date as_of;
  std::vector<ItemCompliance> items;
  std::vector<CategoryLine> summary;
};

// The reports over many records: the public board, the compliance calendar and the handling
// report. Each decides for itself who may read it and reads only what it counts.
class ReportService {
 public:
  ReportService(store::Store& store, CatalogueService& catalogue, FeedbackService& feedback,
                PolicyService& policies, const policies::CategoryCatalogue& categories,
                AuthorizerSource authorizer);

  // The published documents of `unit` (every unit when nullopt) the subject may see.
  core::Result<Board> board(const Subject& subject, const std::optional<std::string>& unit);
  // Needs reports.read for the unit. Every publication counts; one the subject may not see is
  // counted without its title or id.
  core::Result<ComplianceReport> compliance(const Subject& subject, const std::string& unit,
                                            std::optional<int> year);
  // Needs reports.read; a role bound to units reports on those units (and the units under them)
  // only. `unit` "" is the whole organisation (as far as the subject's roles reach); the year
  // defaults to this one.
  core::Result<FeedbackReport> feedback(const Subject& subject, const std::string& unit,
                                        std::optional<int> year);

 private:
  store::Store& store_;
  CatalogueService& catalogue_;
  FeedbackService& feedback_;
  PolicyService& policies_;
  const policies::CategoryCatalogue& categories_;
  AuthorizerSource authorizer_;
};

}  // namespace gongkai::server::service
