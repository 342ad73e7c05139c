#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// One item of a unit's disclosure catalogue (公开目录) for a year: what is to be disclosed, to
// whom, how, and by when. Versioned and audited like documents; a document answers one item.
struct CatalogueItem {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::string org_unit;
  int year = 0;
  std::string category;  // a category code of the policy
  int sub_item = 0;      // the category's numbered sub-item (1-based), 0 for none
  std::string content;   // what is disclosed
  Scope scope = Scope::kPublic;
  Mode mode = Mode::kProactive;
  Period period = Period::kStanding;
  std::string rhythm;  // periodic: monthly, quarterly, half_yearly or yearly; "" otherwise
  int time_limit_working_days = 0;    // periodic: after each period ends; immediate: after approval
  std::vector<std::string> channels;  // website, intranet, meeting, printed_notice, bulletin_board
  std::string responsible;            // the person responsible
  std::string created_by, updated_by, change;
  TimePoint created_at, updated_at;

  bool sameContent(const CatalogueItem& other) const;
};

// The canonical JSON record (RFC 8785) the store keeps and the audit entry hashes.
std::string canonicalRecord(const CatalogueItem& item);
Result<CatalogueItem> parseCatalogueRecord(std::string_view record);

}  // namespace gongkai::core
