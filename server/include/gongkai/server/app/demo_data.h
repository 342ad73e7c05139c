#pragma once

#include <string>

#include "gongkai/core/result.h"
#include "gongkai/server/service/catalogue_service.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/request_service.h"
#include "gongkai/server/service/unit_service.h"
#include "gongkai/server/service/user_service.h"

namespace gongkai::server::app {

// Fills an empty store from `demoDir`/demo.json (built from the two seed documents): the
// organisation units (the hospital committee and its six branches, the health centre), this
// year's disclosure catalogue from seed 001's eight categories, and documents taken through the
// procedure to every state, then feedback and an application in several states of handling.
// Returns how many documents were created.
core::Result<int> loadDemoData(service::DocumentService& documents, service::UnitService& units,
                               service::UserService& users, service::CatalogueService& catalogue,
                               service::FeedbackService& feedback,
                               service::RequestService& requests, const std::string& demoDir);

}  // namespace gongkai::server::app
