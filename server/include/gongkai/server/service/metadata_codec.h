#pragma once

#include <Poco/JSON/Object.h>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/policies/category_catalogue.h"

namespace gongkai::server::service {

// Turns client JSON into validated document metadata. Every problem is reported at once as a
// FieldError (codes: missing_field, wrong_type, unknown_field, read_only_field, invalid_value,
// unknown_category, too_long, control_characters) inside one kInvalidArgument error with reason
// "invalid_metadata".
class MetadataCodec {
 public:
  explicit MetadataCodec(const policies::CategoryCatalogue& categories) : categories_(categories) {}

  // A complete set of metadata for a new document.
  core::Result<core::DocumentMetadata> parseNew(const Poco::JSON::Object::Ptr& json) const;

  // A JSON merge patch (RFC 7396) over `current`: members present replace, null clears an
  // optional field, absent members stay.
  core::Result<core::DocumentMetadata> applyPatch(const core::DocumentMetadata& current,
                                                  const Poco::JSON::Object::Ptr& patch) const;

 private:
  core::Result<core::DocumentMetadata> apply(core::DocumentMetadata metadata,
                                             const Poco::JSON::Object::Ptr& json,
                                             bool requireAll) const;
  const policies::CategoryCatalogue& categories_;
};

}  // namespace gongkai::server::service
