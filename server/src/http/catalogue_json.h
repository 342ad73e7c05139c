#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <vector>

#include "gongkai/core/catalogue.h"
#include "gongkai/server/service/catalogue_service.h"

namespace gongkai::server::http {

// The API's representation of a catalogue item as of its version, with its ETag.
Poco::JSON::Object::Ptr catalogueItemJson(const core::CatalogueItem& item);
// The categories of disclosure with their standing items, as the catalogue and the policy show
// them.
Poco::JSON::Array::Ptr categoriesJson(const std::vector<service::Category>& categories);
// The members of a catalogue item a request body gives (to create one, or as a merge patch).
service::CatalogueItemFields readCatalogueItemFields(const Poco::JSON::Object::Ptr& json);

}  // namespace gongkai::server::http
