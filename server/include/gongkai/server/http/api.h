#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>

#include "gongkai/server/http/router.h"
#include "gongkai/server/service/audit_service.h"
#include "gongkai/server/service/search_service.h"
#include "gongkai/server/service/checkpoint_service.h"
#include "gongkai/server/service/document_service.h"

namespace gongkai::server::http {

struct ApiOptions {
  std::int64_t max_json_bytes = 1 << 20;
  std::int64_t max_upload_bytes = std::int64_t{8} << 30;
  int max_files_per_request = 100;
  std::string web_dir;  // static pages served at "/", "" for none
  // Fills the body of GET /healthz; returning nullptr answers 503.
  std::function<Poco::JSON::Object::Ptr()> health;
};

// The route table of the whole HTTP API (/healthz, /api/v1/...). The services must outlive it.
Router buildRouter(service::DocumentService& documents, service::AuditService& audit,
                   service::CheckpointService& checkpoints, service::SearchService& search,
                   const store::BlobStore& blobs, const policies::CategoryCatalogue& categories,
                   const ApiOptions& options);

}  // namespace gongkai::server::http
