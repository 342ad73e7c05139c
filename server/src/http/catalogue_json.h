#pragma once

#include <Poco/JSON/Object.h>

#include "gongkai/core/catalogue.h"
#include "gongkai/server/service/catalogue_service.h"

namespace gongkai::server::http {

// The API's representation of a catalogue item as of its version, with its ETag.
Poco::JSON::Object::Ptr catalogueItemJson(const core::CatalogueItem& item);
// The members of a catalogue item a request body gives (to create one, or as a merge patch).
service::CatalogueItemFields readCatalogueItemFields(const Poco::JSON::Object::Ptr& json);

}  // namespace gongkai::server::http
