#pragma once

#include <cstdint>

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/document_service.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

struct DocumentApiOptions {
  std::int64_t max_json_bytes = 1 << 20;
  std::int64_t max_upload_bytes = std::int64_t{8} << 30;
  int max_files_per_request = 100;
};

// /api/v1/documents (filing, changes while a draft, the procedure's steps, versions, files) and
// the public board /api/v1/board. The services must outlive the router.
void addDocumentRoutes(Router& router, service::DocumentService& documents,
                       service::SearchService& search, const DocumentApiOptions& options);

}  // namespace gongkai::server::http
