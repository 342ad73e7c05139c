#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/category_catalogue.h"
#include "gongkai/server/service/field.h"

namespace gongkai::server::service {

// The metadata members a request gives, for a new document (every required member) or as a
// merge patch. `form_errors`: members that are no editable field (unknown, or kept by the
// server), reported with the validator's own findings.
struct DocumentMetadataFields {
  Field<std::string> title, doc_number, category, org_unit, scope, mode, period, issued_at, summary;
  Field<std::int64_t> catalogue_item;
  std::vector<core::FieldError> form_errors;
};

// Turns the members a request gives into validated document metadata. Every problem is reported
// at once as a FieldError (codes: missing_field, wrong_type, unknown_field, read_only_field,
// invalid_value, unknown_category, too_long, control_characters) inside one kInvalidArgument
// error with reason "invalid_metadata".
class MetadataValidator {
 public:
  explicit MetadataValidator(const policies::CategoryCatalogue& categories)
      : categories_(categories) {}

  // A complete set of metadata for a new document.
  core::Result<core::DocumentMetadata> validateNew(const DocumentMetadataFields& fields) const;

  // A JSON merge patch (RFC 7396) over `current`: members present replace, null clears an
  // optional field, absent members stay.
  core::Result<core::DocumentMetadata> applyPatch(const core::DocumentMetadata& current,
                                                  const DocumentMetadataFields& patch) const;

 private:
  core::Result<core::DocumentMetadata> apply(core::DocumentMetadata metadata,
                                             const DocumentMetadataFields& fields,
                                             bool requireAll) const;
  const policies::CategoryCatalogue& categories_;
};

}  // namespace gongkai::server::service
