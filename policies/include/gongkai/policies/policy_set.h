#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/policies/category_catalogue.h"

// Everything the unit's policy files say, loaded and validated as one set. The files live in one
// folder (policies/data in the source tree, gongkai.policy.dir when deployed):
//
//   categories.json   disclosure categories, sub-items and default retention (CategoryCatalogue)
//   roles.json        roles → permissions, and whether a role is bound to organisation units
//   visibility.json   which roles see documents of which scope and status, in which units
//   archive.json      fonds code (全宗号) and the 档号 pattern
//   time_limits.json  feedback and on-request disclosure time limits, in working days
//   calendar.json     the working-day calendar: public holidays and adjusted working days (调休)
//
// Every error names the file, the line and the field, e.g.
//   roles.json:14: roles.archivist.permissions[2]: unknown permission "documents.fly"
namespace gongkai::policies {

// The permissions code knows. A role file may grant only these.
inline constexpr std::string_view kPermissions[] = {
    "documents.create",   // file a new document (in a unit the role is bound to)
    "documents.update",   // edit metadata, add and remove files
    "documents.review",   // approve or reject disclosure (workflow issue)
    "documents.publish",  // publish and withdraw (workflow issue)
    "documents.archive",  // archive and assign 档号 (bundles issue)
    "documents.import",   // import a legacy archive's records, already archived (operations issue)
    "audit.read",         // the audit log, checkpoints, proofs and export
    "search.manage",      // search status and rebuild
    "units.manage",       // the organisation unit tree
    "users.manage",       // accounts, roles and other users' tokens
    "policies.read",      // GET /api/v1/policies
    "policies.reload",    // reload the policy files
    "feedback.submit",    // submit feedback (feedback issue)
    "feedback.handle",    // assign, answer and close feedback (in units the role is bound to)
    "feedback.read",      // read every feedback record, contact details included
    "archives.read",      // list and download annual bundles (bundles issue)
    "archives.build",     // build annual bundles (bundles issue)
    "archives.receive",   // countersign the receipt of a transferred bundle (接收回执)
    "reports.read",       // compliance and feedback reports
    "retention.read",     // the disposition review list, proposals and legal holds
    "retention.propose",  // propose disposing of a record whose retention period ended
    "retention.approve",  // approve or reject someone else's proposal (files are deleted)
    "holds.manage",       // place and release legal holds (法律保全), which block disposition
};

// The anonymous caller's role: it may appear in visibility rules and be granted permissions,
// but no account can hold it.
inline constexpr std::string_view kPublicRole = "public";

// Document scopes and lifecycle statuses the visibility file may name. The statuses are those
// of the disclosure procedure (workflow issue); until it lands every document is a draft.
inline constexpr std::string_view kScopes[] = {"public", "internal", "restricted"};
inline constexpr std::string_view kStatuses[] = {"draft",     "submitted", "approved", "published",
                                                 "withdrawn", "archived",  "disposed"};

struct Role {
  std::string code;  // e.g. "archivist"
  std::string name;  // Chinese display name, e.g. 档案员
  // A unit-bound role is held for particular units (and their descendants): its permissions
  // apply to documents of those units only. Others apply everywhere.
  bool unit_bound = false;
  std::set<std::string> permissions;
};

// One visibility rule: holders of any of `roles` see documents whose scope and status are
// listed, in any unit or (units_own) only in the units they hold that role for and below.
struct VisibilityRule {
  std::vector<std::string> roles;
  std::set<std::string> scopes;
  std::set<std::string> statuses;
  bool units_own = false;
};

struct ArchivePolicy {
  std::string fonds_code;  // 全宗号, 1-16 upper-case letters and digits, e.g. J001
  // The 档号 pattern; placeholders {fonds} {year} {retention} {category} {item}; {item} may
  // carry a width, {item:4} pads with zeros. Default
  // "{fonds}-{year}-{retention}-{category}-{item:4}".
  std::string reference_code_pattern;
  // 立档单位: the unit whose archive this is, the bundles' Source-Organization. Optional.
  std::string organization;
  // 接收单位: the committee the annual bundles are transferred to, named in each bundle's
  // transfer list (移交清单). Optional; when absent the list says 上级党委.
  std::string receiving_organization;
  // What an annual bundle hands over. "whole_record", the only value: every version of each
  // archived item with its audit entries, restricted and withdrawn material included, whatever
  // the receiving committee may see through the API. Archives are transferred whole; the policy
  // says so explicitly, and whoever holds archives.read may download the bundles.
  std::string bundle_contents = "whole_record";
};

struct TimeLimits {
  int feedback_working_days = 0;             // answer feedback within
  int feedback_extension_working_days = 0;   // one extension of at most this many (0: none)
  int request_acknowledge_working_days = 0;  // on-request: acknowledge within
  int request_working_days = 0;              // on-request: decide within
  int request_extension_working_days = 0;    // one extension of at most this many (0: none)
  int due_soon_working_days = 0;  // "due soon" when this few working days or fewer remain
  std::vector<std::string> refusal_reasons;  // reasons a request may be refused for
};

// Weekends are days off except the adjusted working days (调休); listed holidays are days off.
class WorkingCalendar {
 public:
  WorkingCalendar() = default;
  WorkingCalendar(std::set<core::Date> holidays, std::set<core::Date> workdays, int firstYear,
                  int lastYear);
  bool isWorkingDay(const core::Date& date) const;
  // The date `days` working days after `start` (start itself does not count), e.g. a Friday
  // plus 1 is the next Monday when that is a working day.
  core::Date addWorkingDays(const core::Date& start, int days) const;
  // Working days after `from` up to and including `to`; negative when `to` is before `from`.
  int workingDaysBetween(const core::Date& from, const core::Date& to) const;
  // Years the calendar lists holidays for; outside them only weekends are known.
  int firstYear() const { return firstYear_; }
  int lastYear() const { return lastYear_; }

 private:
  std::set<core::Date> holidays_, workdays_;
  int firstYear_ = 0, lastYear_ = 0;
};

struct PolicySet {
  std::string folder;
  CategoryCatalogue categories;
  std::map<std::string, Role> roles;  // by code, the public role among them
  std::vector<VisibilityRule> visibility;
  ArchivePolicy archive;
  TimeLimits time_limits;
  WorkingCalendar calendar;

  // Reads and validates every file in `folder`. Errors are kInvalidArgument, reason
  // "policy_invalid", their message naming file, line and field.
  static core::Result<PolicySet> loadFolder(const std::string& folder);

  const Role* role(std::string_view code) const;
};

}  // namespace gongkai::policies
