#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/catalogue.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/service/authorization.h"
#include "gongkai/server/service/field.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// A category of disclosure with its standing items (policies/categories.json).
using Category = policies::Category;

// The members of a catalogue item a request gives, to create one (every required member) or as a
// merge patch. `form_errors`: members that are no field of an item, reported with the service's
// own findings.
struct CatalogueItemFields {
  Field<std::string> org_unit, category, content, scope, mode, period, rhythm, responsible;
  Field<std::int64_t> year, sub_item, time_limit_working_days;
  // Each channel, nullopt for a member of the list that is not a string.
  Field<std::vector<std::optional<std::string>>> channels;
  std::vector<core::FieldError> form_errors;
};

// The disclosure catalogue (公开目录): items per unit and year, each change a new version with its
// audit entry (object type "catalogue_item"). Thread-safe.
class CatalogueService {
 public:
  using UnitCheck = std::function<bool(const std::string&)>;
  CatalogueService(store::Store& store, const policies::CategoryCatalogue& categories,
                   AuthorizerSource authorizer, UnitCheck unitExists);

  // Each use case decides for itself: an item is seen by whoever may see a published document of
  // its unit and scope (kNotFound otherwise, as if there were none); archivists (documents.create
  // and documents.update) manage the items of their units.

  // org_unit, year, category, sub_item, content, scope, mode, period, rhythm (periodic),
  // time_limit_working_days, channels, responsible.
  core::Result<core::CatalogueItem> create(const Subject& subject,
                                           const CatalogueItemFields& fields);
  // A merge patch of the same fields; `expectedVersion` as for documents. An item documents
  // answer keeps its unit and year (kConflict).
  core::Result<core::CatalogueItem> update(const Subject& subject, std::int64_t id,
                                           std::optional<std::int64_t> expectedVersion,
                                           const CatalogueItemFields& patch);
  core::Result<core::CatalogueItem> get(const Subject& subject, std::int64_t id);
  // True when a document (any version, any status) answers item `id`.
  core::Result<bool> answered(std::int64_t id);
  // Every version of an item, oldest first; kNotFound when there is no such item.
  // The versions the subject may see, oldest first.
  core::Result<std::vector<core::CatalogueItem>> versions(const Subject& subject, std::int64_t id);
  core::Result<std::vector<core::CatalogueItem>> list(const Subject& subject,
                                                      const std::optional<std::string>& orgUnit,
                                                      const std::optional<int>& year);

  // The categories of disclosure in force (policies/categories.json), for anyone to read.
  const std::vector<Category>& categories() const { return categories_.all(); }
  // A category's name; nullopt for a code that names no category.
  std::optional<std::string> categoryName(std::string_view code) const;

 private:
  // Whether the subject may see an item: every item of one use case judged on one authorizer.
  std::function<bool(const core::CatalogueItem&)> seenBy(const Subject& subject) const;
  // kForbidden (unit_forbidden) unless the subject may `permission` for items of `unit`.
  core::Status mayFileFor(const Subject& subject, std::string_view permission,
                          const std::string& unit) const;
  // Applies the JSON members to `item`; with `requireAll` every required field must be there.
  core::Status apply(core::CatalogueItem& item, const CatalogueItemFields& fields,
                     bool requireAll) const;

  store::Store& store_;
  const policies::CategoryCatalogue& categories_;
  AuthorizerSource authorizer_;
  UnitCheck unitExists_;
};

}  // namespace gongkai::server::service
