#pragma once

#include <string>

#include "gongkai/core/result.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::app {

// Files the demo documents described in `demoDir`/demo.json (built from the two seed documents)
// when the store holds no documents yet. Returns how many were created.
core::Result<int> loadDemoData(service::DocumentService& documents, const store::BlobStore& blobs,
                               const std::string& demoDir);

}  // namespace gongkai::server::app
