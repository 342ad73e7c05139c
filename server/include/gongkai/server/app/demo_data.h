#pragma once

#include <string>

#include "gongkai/core/result.h"
#include "gongkai/server/service/account_service.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::app {

// Files the demo documents described in `demoDir`/demo.json (built from the two seed documents),
// and the organisation units they belong to, when the store holds no documents yet. Returns how
// many documents were created.
core::Result<int> loadDemoData(service::DocumentService& documents, service::AccountService& accounts,
                               const store::BlobStore& blobs, const std::string& demoDir);

}  // namespace gongkai::server::app
