#include "gongkai/server/app/config.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <filesystem>

namespace gongkai::server::app {

std::string defaultSigningKeyFile(const std::string& dataDir) {
  return (std::filesystem::path(dataDir) / "keys" / "checkpoint-signing.pem").string();
}

std::string ServerConfig::signingKeyFile() const {
  return audit_key_file.empty() ? defaultSigningKeyFile(data_dir) : audit_key_file;
}

ServerConfig ServerConfig::from(const Poco::Util::AbstractConfiguration& c) {
  ServerConfig s;
  s.address = c.getString("gongkai.server.address", s.address);
  s.port = c.getInt("gongkai.server.port", s.port);
  s.threads = c.getInt("gongkai.server.threads", s.threads);
  s.max_queued = c.getInt("gongkai.server.max_queued", s.max_queued);
  s.shutdown_grace_seconds = c.getInt("gongkai.server.shutdown_grace_seconds", s.shutdown_grace_seconds);
  s.access_log = c.getString("gongkai.server.access_log", s.access_log);
  s.data_dir = c.getString("gongkai.data.dir", s.data_dir);
  s.policy_dir = c.getString("gongkai.policy.dir", GONGKAI_DEFAULT_POLICY_DIR);
  s.web_dir = c.getString("gongkai.web.dir", GONGKAI_DEFAULT_WEB_DIR);
  s.max_json_bytes = c.getInt64("gongkai.limits.max_json_bytes", s.max_json_bytes);
  s.max_upload_bytes = c.getInt64("gongkai.limits.max_upload_bytes", s.max_upload_bytes);
  s.max_files_per_request = c.getInt("gongkai.limits.max_files_per_request", s.max_files_per_request);
  s.demo = c.getBool("gongkai.demo", s.demo);
  s.audit_origin = c.getString("gongkai.audit.origin", s.audit_origin);
  s.audit_key_file = c.getString("gongkai.audit.key_file", s.audit_key_file);
  s.checkpoint_every_entries = c.getInt64("gongkai.audit.checkpoint_every_entries", s.checkpoint_every_entries);
  s.checkpoint_every_seconds = c.getInt("gongkai.audit.checkpoint_every_seconds", s.checkpoint_every_seconds);
  s.extractor = c.getString("gongkai.search.extractor", s.extractor);
  s.extract_max_file_bytes = c.getInt64("gongkai.search.extract_max_file_bytes", s.extract_max_file_bytes);
  s.extract_timeout_seconds = c.getInt("gongkai.search.extract_timeout_seconds", s.extract_timeout_seconds);
  s.search_poll_milliseconds = c.getInt("gongkai.search.poll_milliseconds", s.search_poll_milliseconds);
  return s;
}

}  // namespace gongkai::server::app
