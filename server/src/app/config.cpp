#include "gongkai/server/app/config.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <filesystem>

namespace gongkai::server::app {

std::string defaultSigningKeyFile(const std::string& dataDir) {
  return (std::filesystem::path(dataDir) / "keys" / "checkpoint-signing.pem").string();
}

std::string defaultResourceDir(const std::string& name) {
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  const auto base = error ? std::filesystem::current_path() : binary.parent_path();
  return (base / ".." / "share" / "gongkai" / name).lexically_normal().string();
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
  s.shutdown_grace_seconds =
      c.getInt("gongkai.server.shutdown_grace_seconds", s.shutdown_grace_seconds);
  s.connections_per_address =
      c.getInt("gongkai.server.connections_per_address", s.connections_per_address);
  s.connection_limit_exempt =
      c.getString("gongkai.server.connection_limit_exempt", s.connection_limit_exempt);
  s.trusted_proxies = c.getString("gongkai.server.trusted_proxies", s.trusted_proxies);
  s.metrics_allowed = c.getString("gongkai.metrics.allow", s.metrics_allowed);
  s.header_timeout_seconds =
      c.getInt("gongkai.server.header_timeout_seconds", s.header_timeout_seconds);
  s.request_timeout_seconds =
      c.getInt("gongkai.server.request_timeout_seconds", s.request_timeout_seconds);
  s.min_bytes_per_second =
      c.getInt64("gongkai.server.min_bytes_per_second", s.min_bytes_per_second);
  s.access_log = c.getString("gongkai.server.access_log", s.access_log);
  s.data_dir = c.getString("gongkai.data.dir", s.data_dir);
  s.store_url = c.getString("gongkai.store.url", s.store_url);
  s.lease_seconds = c.getInt("gongkai.store.lease_seconds", s.lease_seconds);
  s.policy_dir = c.getString("gongkai.policy.dir", defaultResourceDir("policies"));
  s.web_dir = c.getString("gongkai.web.dir", defaultResourceDir("web"));
  s.demo_dir = c.getString("gongkai.demo.dir", defaultResourceDir("demo"));
  s.max_json_bytes = c.getInt64("gongkai.limits.max_json_bytes", s.max_json_bytes);
  s.max_upload_bytes = c.getInt64("gongkai.limits.max_upload_bytes", s.max_upload_bytes);
  s.max_files_per_request =
      c.getInt("gongkai.limits.max_files_per_request", s.max_files_per_request);
  s.demo = c.getBool("gongkai.demo", s.demo);
  s.audit_origin = c.getString("gongkai.audit.origin", s.audit_origin);
  s.audit_key_file = c.getString("gongkai.audit.key_file", s.audit_key_file);
  s.archive_sm2_key_file = c.getString("gongkai.archive.sm2_key_file", s.archive_sm2_key_file);
  s.archive_converter = c.getString("gongkai.archive.converter", s.archive_converter);
  s.archive_converter_timeout_seconds =
      c.getInt("gongkai.archive.converter_timeout_seconds", s.archive_converter_timeout_seconds);
  s.archive_converter_max_output_bytes = c.getInt64("gongkai.archive.converter_max_output_bytes",
                                                    s.archive_converter_max_output_bytes);
  s.import_root = c.getString("gongkai.import.root", s.import_root);
  s.feedback_submissions_per_hour =
      c.getInt("gongkai.feedback.submissions_per_hour", s.feedback_submissions_per_hour);
  s.checkpoint_every_entries =
      c.getInt64("gongkai.audit.checkpoint_every_entries", s.checkpoint_every_entries);
  s.checkpoint_every_seconds =
      c.getInt("gongkai.audit.checkpoint_every_seconds", s.checkpoint_every_seconds);
  s.extractor = c.getString("gongkai.search.extractor", s.extractor);
  s.extract_max_file_bytes =
      c.getInt64("gongkai.search.extract_max_file_bytes", s.extract_max_file_bytes);
  s.extract_timeout_seconds =
      c.getInt("gongkai.search.extract_timeout_seconds", s.extract_timeout_seconds);
  s.search_poll_milliseconds =
      c.getInt("gongkai.search.poll_milliseconds", s.search_poll_milliseconds);
  s.search_follow_writes = c.getBool("gongkai.search.follow_writes", s.search_follow_writes);
  s.search_commit_spacing_milliseconds =
      c.getInt("gongkai.search.commit_spacing_milliseconds", s.search_commit_spacing_milliseconds);
  s.search_split_from_entries =
      c.getInt("gongkai.search.split_from_entries", s.search_split_from_entries);
  s.search_replication_address =
      c.getString("gongkai.search.replication_address", s.search_replication_address);
  s.search_replica_folder = c.getString("gongkai.search.replica_folder", s.search_replica_folder);
  s.tls_certificate = c.getString("gongkai.tls.certificate_file", s.tls_certificate);
  s.tls_private_key = c.getString("gongkai.tls.private_key_file", s.tls_private_key);
  s.tls_ca_chain = c.getString("gongkai.tls.ca_chain_file", s.tls_ca_chain);
  s.allow_plain_http = c.getBool("gongkai.server.allow_plain_http", s.allow_plain_http);
  s.session_hours = c.getInt("gongkai.auth.session_hours", s.session_hours);
  s.api_token_max_days = c.getInt("gongkai.auth.api_token_max_days", s.api_token_max_days);
  s.pbkdf2_iterations = c.getInt("gongkai.auth.pbkdf2_iterations", s.pbkdf2_iterations);
  s.login_slow_after_failures =
      c.getInt("gongkai.auth.slow_after_failures", s.login_slow_after_failures);
  s.login_lock_after_failures =
      c.getInt("gongkai.auth.lock_after_failures", s.login_lock_after_failures);
  s.login_lock_minutes = c.getInt("gongkai.auth.lock_minutes", s.login_lock_minutes);
  s.login_attempts_per_address_per_minute = c.getInt("gongkai.auth.attempts_per_address_per_minute",
                                                     s.login_attempts_per_address_per_minute);
  return s;
}

}  // namespace gongkai::server::app
