#pragma once

#include <cstdint>
#include <string>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace gongkai::server::app {

// Everything the server reads from its configuration file and command line.
struct ServerConfig {
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "data";
  // Empty: the records in SQLite in data_dir; postgresql://... : in that PostgreSQL database.
  std::string store_url;
  // Servers sharing a PostgreSQL database: one that has not renewed its leases for this long is
  // taken for gone (its jobs adopted, the index writer's lease taken over). See LeaseKeeper.
  int lease_seconds = 10;
  // The read-only resources, by default found beside the binary (see defaultResourceDir).
  std::string policy_dir;
  std::string web_dir;     // the built workbench (web/dist), served at "/"
  std::string demo_dir;    // the demo data that --demo loads
  std::string access_log;  // a file path, "-" for standard output, "" for data_dir/logs/access.log
  int threads = 16;
  int max_queued = 256;
  int shutdown_grace_seconds = 30;
  // Slow or greedy clients (http::ConnectionLimits): connections on threads per client address
  // (0 = no limit, e.g. behind a reverse proxy), the time for a request's headers, and how long
  // a request may go without the client keeping up min_bytes_per_second.
  int connections_per_address = 8;
  std::string connection_limit_exempt = "127.0.0.1,::1";  // comma-separated addresses
  // Reverse proxies whose X-Forwarded-For names the client (net::ClientAddressResolver);
  // comma-separated addresses, none by default.
  std::string trusted_proxies;
  // Client addresses that may read GET /metrics (comma-separated); loopback only by default.
  std::string metrics_allowed = "127.0.0.1,::1";
  int header_timeout_seconds = 20;
  int request_timeout_seconds = 60;
  std::int64_t min_bytes_per_second = 1024;
  std::int64_t max_json_bytes = 1 << 20;
  std::int64_t max_upload_bytes = std::int64_t{8} << 30;  // per request
  int max_files_per_request = 100;
  bool demo = false;
  // The audit log's name in its checkpoints, and the name its key signs under. Set it to
  // something unique to the unit, e.g. "dangwu.example.gov.cn/J001"; never change it later.
  std::string audit_origin = "gongkai.local/audit";
  std::string audit_key_file;  // "" for DATA_DIR/keys/checkpoint-signing.pem
  std::int64_t checkpoint_every_entries = 1000;
  int checkpoint_every_seconds = 60;
  // Archive bundles are signed with the audit key (Ed25519) and, when this names an SM2 private
  // key (PKCS#8 PEM, e.g. `openssl genpkey -algorithm SM2`), with SM2/SM3 as well.
  std::string archive_sm2_key_file;
  // PDF/A preservation renditions of archived office documents, made once when a bundle first
  // needs them: LibreOffice's soffice (a path or a name in PATH; "" for none), and the time one
  // conversion may take (wall clock, and CPU time) and the largest file it may write.
  std::string archive_converter = "soffice";
  int archive_converter_timeout_seconds = 120;
  std::int64_t archive_converter_max_output_bytes = 1ll << 30;
  // The folder under which POST /api/v1/imports (and `gongkai import`) may read legacy archives
  // ("" for DATA_DIR/import): an import names a folder on the server, and none outside this.
  std::string import_root;
  // Public submissions (feedback and applications for disclosure) accepted per client address
  // in any hour.
  int feedback_submissions_per_hour = 20;
  // Text extraction for search: the `gongkai` executable run as an isolated extractor ("" for
  // the one beside the server binary), and its limits.
  std::string extractor;
  std::int64_t extract_max_file_bytes = std::int64_t{64} << 20;
  int extract_timeout_seconds = 10;
  int search_poll_milliseconds = 100;  // how often the indexing worker looks for queued changes
  bool search_follow_writes = true;    // this server's writes wake the indexing worker at once
  // The least time between two index passes that find work (SearchOptions::commit_spacing).
  int search_commit_spacing_milliseconds = 250;
  // From how many index entries a search's all-words tier runs as two halves on two threads
  // (SearchOptions::split_search_from; 0: never).
  int search_split_from_entries = 50'000;
  // With PostgreSQL (several servers): host:port where this server serves the search index to
  // the others while it writes it (port 0: a free one, picked at start), and its own folder for
  // its replica of the index ("": DATA/search-replicas/HOST-PORT).
  std::string search_replication_address = "127.0.0.1:0";
  std::string search_replica_folder;
  // HTTPS: both files set turns TLS on (with HSTS). Plain HTTP is refused on any address other
  // than loopback unless allow_plain_http says otherwise (e.g. behind a TLS-terminating proxy).
  std::string tls_certificate;
  std::string tls_private_key;
  std::string tls_ca_chain;
  bool allow_plain_http = false;
  // Accounts.
  int session_hours = 8;
  int api_token_max_days = 366;
  int pbkdf2_iterations = 600000;  // OWASP 2023; lower only for tests
  int login_slow_after_failures = 3;
  int login_lock_after_failures = 10;
  int login_lock_minutes = 15;
  int login_attempts_per_address_per_minute = 60;

  // The signing key file, with the default filled in.
  std::string signingKeyFile() const;

  // Reads keys under "gongkai." (see deploy/gongkai.properties), keeping defaults for the rest.
  static ServerConfig from(const Poco::Util::AbstractConfiguration& config);
};

// Where the checkpoint signing key lives unless configured: DATA_DIR/keys/checkpoint-signing.pem.
std::string defaultSigningKeyFile(const std::string& dataDir);

// Where a read-only resource ("web", "policies", "demo") lives unless configured:
// <folder of the running binary>/../share/gongkai/<name>. That holds for an installed copy
// (/usr/local/bin → /usr/local/share/gongkai) and for the build tree, where CMake links
// build/share/gongkai/* to the source folders; nothing in the binary names the source tree.
std::string defaultResourceDir(const std::string& name);

}  // namespace gongkai::server::app
