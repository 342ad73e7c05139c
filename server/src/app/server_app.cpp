#include "gongkai/server/app/server_app.h"

#include <Poco/AsyncChannel.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StringTokenizer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "gongkai/server/app/config.h"
#include "gongkai/server/app/demo_data.h"
#include "gongkai/server/app/listener.h"
#include "gongkai/server/http/api.h"
#include "gongkai/server/http/openapi.h"
#include "gongkai/server/net/client_address.h"
#include "gongkai/server/net/connection_guard.h"
#include "gongkai/server/net/handler_factory.h"
#include "gongkai/server/net/openapi_check.h"
#include "gongkai/server/service/client_pseudonym.h"
#include "gongkai/server/service/lease_keeper.h"
#include "gongkai/server/store/data_folder_lock.h"
#include "json_log.h"
#include "server_metrics.h"

namespace gongkai::server::app {
namespace fs = std::filesystem;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

constexpr int kExitConfig = 78;  // EX_CONFIG

// An executable installed beside this one (the build and the install keep them together).
std::string siblingExecutable(const std::string& name) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? name : (self.parent_path() / name).string();
}
constexpr int kExitUnavailable = 69;
// Commits the index writer keeps as changesets for replicas: one poll of a replica (every second)
// finds a handful even under heavy ingest; one further behind gets a full copy.
constexpr int kKeptChangesets = 200;

// The replication address with a port: a free one of that interface when it says 0. The port is
// free now; another program could take it before this server serves the index, which it then
// says in its log (set a fixed port where that matters).
std::optional<std::string> replicationAddress(const std::string& configured) {
  try {
    const Poco::Net::SocketAddress address(configured);
    if (address.port() != 0) return configured;
    Poco::Net::ServerSocket probe(address);
    const std::string host = address.host().toString();
    const std::string port = std::to_string(probe.address().port());
    return (address.family() == Poco::Net::SocketAddress::IPv6 ? "[" + host + "]" : host) + ":" +
           port;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

// Access lines go to their own logger so they can be sent to a file apart from everything else.
Poco::Logger& setUpAccessLog(const ServerConfig& config) {
  Poco::Logger& access = Poco::Logger::get("gongkai.access");
  access.setLevel(Poco::Message::PRIO_INFORMATION);
  Poco::AutoPtr<Poco::Channel> target;
  if (config.access_log == "-") {
    target = new Poco::ConsoleChannel;
  } else {
    const std::string path = config.access_log.empty()
                                 ? (fs::path(config.data_dir) / "logs" / "access.log").string()
                                 : config.access_log;
    fs::create_directories(fs::path(path).parent_path());
    Poco::AutoPtr<Poco::FileChannel> file = new Poco::FileChannel(path);
    file->setProperty("rotation", "100 M");
    file->setProperty("archive", "timestamp");
    file->setProperty("purgeCount", "10");
    target = file;
  }
  Poco::AutoPtr<Poco::PatternFormatter> plain = new Poco::PatternFormatter("%t");
  Poco::AutoPtr<Poco::FormattingChannel> formatted = new Poco::FormattingChannel(plain, target);
  // Writing the line must not hold up the response.
  access.setChannel(new Poco::AsyncChannel(formatted));
  return access;
}

// A comma-separated list of client addresses as the server compares them (canonical form).
std::vector<std::string> addressList(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& address : Poco::StringTokenizer(
           text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
    out.push_back(net::canonicalAddress(address).value_or(address));
  }
  return out;
}

// With no account at all, makes `admin` with a random password and prints it once: there are no
// default passwords, and `gongkai user add` is the other way in.
core::Status createFirstAdmin(service::UserService& users) {
  auto none = users.noUsers();
  if (!none.ok()) return none.error();
  if (!none.value()) return core::okStatus();
  const std::string password = core::newToken().substr(3, 20);
  service::Subject system;
  system.id = "system";
  auto made = users.addUser(system, "admin", password, {{"admin", ""}});
  if (!made.ok()) return made.error();
  std::cout
      << "首次启动：已创建管理员账户 admin，一次性密码 (first start: account admin, password): "
      << password
      << "\n请登录后立即修改密码 (change it after signing in: POST /api/v1/auth/password)"
      << std::endl;
  return core::okStatus();
}

}  // namespace

void ServerApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  const auto set = [](const std::string& name, const std::string& key, const std::string& arg,
                      const std::string& help) {
    return Option(name, "", help).required(false).repeatable(false).argument(arg).binding(key);
  };
  options.addOption(
      Option("config", "c", "配置文件 (properties file), see deploy/gongkai.properties")
          .required(false)
          .repeatable(true)
          .argument("FILE")
          .callback(OptionCallback<ServerApp>(this, &ServerApp::onOption)));
  options.addOption(set("data-dir", "gongkai.data.dir", "DIR", "数据目录 (data folder)"));
  options.addOption(
      set("port", "gongkai.server.port", "N", "监听端口，0 为任选 (port; 0 picks a free one)"));
  options.addOption(set("address", "gongkai.server.address", "ADDR", "监听地址 (listen address)"));
  options.addOption(Option("define", "D",
                           "覆盖任一配置项，如 limits (override any key, e.g. "
                           "-D gongkai.limits.max_json_bytes=65536)")
                        .required(false)
                        .repeatable(true)
                        .argument("KEY=VALUE")
                        .callback(OptionCallback<ServerApp>(this, &ServerApp::onOption)));
  options.addOption(Option("demo", "", "空库时载入示例数据 (load demo data into an empty store)")
                        .required(false)
                        .repeatable(false)
                        .callback(OptionCallback<ServerApp>(this, &ServerApp::onOption)));
  options.addOption(Option("help", "h", "显示帮助 (show help)")
                        .required(false)
                        .repeatable(false)
                        .callback(OptionCallback<ServerApp>(this, &ServerApp::onOption)));
}

void ServerApp::onOption(const std::string& name, const std::string& value) {
  if (name == "help") {
    helpRequested_ = true;
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage(
        "[--config FILE] [--data-dir DIR] [--port N] [--address ADDR] [--define KEY=VALUE] "
        "[--demo]");
    help.setHeader("Gongkai 党务公开档案服务器 (party-affairs disclosure archive server)");
    help.format(std::cout);
    stopOptionsProcessing();
  } else if (name == "define") {
    const auto equals = value.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Poco::Util::InvalidArgumentException("--define needs KEY=VALUE: " + value);
    }
    config().setString(value.substr(0, equals), value.substr(equals + 1));
  } else if (name == "demo") {
    config().setBool("gongkai.demo", true);
  } else if (name == "config") {
    // Lower priority than values set on the command line, whatever their order.
    loadConfiguration(value, PRIO_DEFAULT);
  }
}

int ServerApp::main(const std::vector<std::string>&) {
  if (helpRequested_) return EXIT_OK;
  // Everything the server writes is its own: the store (password hashes, names and contacts),
  // the logs, blobs and bundles are for this account alone, whatever umask it was started with.
  ::umask(0077);
  useJsonLogLines();
  Poco::Logger& log = logger();
  ServerConfig config;
  try {
    config = ServerConfig::from(this->config());
  } catch (const Poco::Exception& e) {
    std::cerr << "配置错误 (configuration error): " << e.displayText() << std::endl;
    return kExitConfig;
  }
  if (config.port < 0 || config.port > 65535 || config.threads < 1 || config.lease_seconds < 2 ||
      config.lease_seconds > 3600 || config.max_json_bytes < 1024 || config.max_upload_bytes < 1 ||
      config.max_files_per_request < 1 || config.checkpoint_every_entries < 1 ||
      config.checkpoint_every_seconds < 1 || config.extract_max_file_bytes < 1 ||
      config.extract_timeout_seconds < 1 || config.search_poll_milliseconds < 1 ||
      config.search_commit_spacing_milliseconds < 0 ||
      config.search_commit_spacing_milliseconds > 60000 || config.search_split_from_entries < 0 ||
      config.session_hours < 1 || config.api_token_max_days < 1 ||
      config.pbkdf2_iterations < core::kMinimumPbkdf2Iterations ||
      config.pbkdf2_iterations > 10000000 || config.login_slow_after_failures < 1 ||
      config.login_lock_after_failures < 1 || config.login_attempts_per_address_per_minute < 1 ||
      config.login_lock_minutes < 1 || config.connections_per_address < 0 ||
      config.header_timeout_seconds < 1 || config.request_timeout_seconds < 1 ||
      config.min_bytes_per_second < 0) {
    std::cerr << "配置错误 (configuration error): port, threads or limits out of range"
              << std::endl;
    return kExitConfig;
  }

  std::optional<net::ClientAddressResolver> clientAddress;
  try {
    clientAddress.emplace(config.trusted_proxies);
  } catch (const std::invalid_argument& e) {
    std::cerr << "配置错误 (configuration error): gongkai.server.trusted_proxies: " << e.what()
              << std::endl;
    return kExitConfig;
  }

  auto policySet = service::loadPolicyFolder(config.policy_dir);
  if (!policySet.ok()) {
    std::cerr << policySet.error().message << std::endl;
    return kExitConfig;
  }
  // Documents are checked against the categories read at start; a reload changes who may see
  // and do what, a changed category list takes a restart.
  const policies::CategoryCatalogue categories = policySet.value().set.categories;
  // With SQLite, before anything in the folder is touched: one server at a time. Servers sharing
  // a PostgreSQL database share the folder too (blobs, bundles, keys) and take turns by leases.
  const bool alone = config.store_url.empty();
  std::string replication;  // with PostgreSQL: where this server serves the index when it writes
  if (!alone) {
    // Before any thread starts (setenv): the index writer's commits keep changesets.
    indexer::keepChangesets(kKeptChangesets);
    const auto address = replicationAddress(config.search_replication_address);
    if (!address) {
      std::cerr << "配置错误 (configuration error): gongkai.search.replication_address: "
                << config.search_replication_address << std::endl;
      return kExitConfig;
    }
    replication = *address;
  }
  std::unique_ptr<store::DataFolderLock> claimed;
  if (alone) {
    auto lock = store::DataFolderLock::acquire(config.data_dir);
    if (!lock.ok()) {
      std::cerr << lock.error().message << std::endl;
      return kExitUnavailable;
    }
    claimed = std::move(lock).value();
  }
  store::StoreOptions storeOptions;
  storeOptions.url = config.store_url;
  auto opened = store::Store::open(config.data_dir, storeOptions);
  if (!opened.ok()) {
    std::cerr << opened.error().message << std::endl;
    return kExitUnavailable;
  }
  store::Store& store = *opened.value();
  // Renewed five times per lease, so a slow round or two does not lose it.
  const service::LeaseTiming leaseTiming{std::chrono::seconds(config.lease_seconds),
                                         std::chrono::milliseconds(config.lease_seconds * 200)};
  service::LeaseKeeper leases(store, service::newServerId(config.port), replication, leaseTiming,
                              alone);
  if (auto started = leases.start(); !started.ok()) {
    std::cerr << "租约无法登记 (cannot register the server's lease): " << started.error().message
              << std::endl;
    return kExitUnavailable;
  }
  log.information("server id %s", leases.serverId());
  auto signer = service::loadOrCreateSigningKey(config.signingKeyFile(), config.audit_origin);
  if (!signer.ok()) {
    std::cerr << "签名密钥错误 (signing key error): " << signer.error().message << std::endl;
    return kExitConfig;
  }
  // The key that turns the public's addresses into pseudonyms in the audit log.
  auto pseudonymKey = service::loadOrCreateSecret(
      (fs::path(config.signingKeyFile()).parent_path() / "client-pseudonym.key").string());
  if (!pseudonymKey.ok()) {
    std::cerr << "密钥错误 (key error): " << pseudonymKey.error().message << std::endl;
    return kExitConfig;
  }
  service::setClientPseudonymKey(std::move(pseudonymKey).value());
  service::CheckpointService checkpoints(
      store, config.audit_origin, std::move(signer).value(),
      service::CheckpointPolicy{config.checkpoint_every_entries, config.checkpoint_every_seconds});
  if (auto started = checkpoints.start(); !started.ok()) {
    std::cerr << "检查点失败 (checkpoint failed): " << started.error().message << std::endl;
    return kExitUnavailable;
  }
  log.information("audit checkpoints signed by %s",
                  core::note::formatVerifierKey(checkpoints.verifierKey()));
  service::PolicyService policyService(store, config.policy_dir, std::move(policySet).value());
  service::AuthOptions auth;
  auth.session_lifetime = std::chrono::hours(config.session_hours);
  auth.api_token_max_days = config.api_token_max_days;
  auth.pbkdf2_iterations = config.pbkdf2_iterations;
  auth.slow_after_failures = config.login_slow_after_failures;
  auth.login_attempts_per_address_per_minute = config.login_attempts_per_address_per_minute;
  // Password checks never take every core: the other half (at least one) serves the rest.
  auth.concurrent_password_checks =
      std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
  auth.lock_after_failures = config.login_lock_after_failures;
  auth.lock_duration = std::chrono::minutes(config.login_lock_minutes);
  if (config.pbkdf2_iterations < core::kDefaultPbkdf2Iterations) {
    log.warning("gongkai.auth.pbkdf2_iterations is below OWASP's 600000: for tests only");
  }
  service::UnitService units(store, policyService);
  const service::AuthorizerSource authorizer = [&policyService, &units] {
    return policies::Authorizer(policyService.engine(), units.unitTree());
  };
  service::UserService users(store, policyService, units, auth, authorizer);
  service::TokenService tokens(store, auth, authorizer);
  service::SignInService signIn(store, users, tokens, auth);
  if (auto created = createFirstAdmin(users); !created.ok()) {
    std::cerr << "无法创建管理员账户 (cannot create the first admin): " << created.error().message
              << std::endl;
    return kExitUnavailable;
  }
  const auto unitExists = [&units](const std::string& unit) {
    return units.unitTree()->contains(unit);
  };
  service::CatalogueService catalogue(store, categories, authorizer, unitExists);
  service::DocumentService::Checks checks;
  checks.unit_exists = unitExists;
  checks.archive = [&policyService] { return policyService.engine()->policies().archive; };
  checks.catalogue_unit = [&catalogue](std::int64_t id) -> std::optional<std::string> {
    service::Subject server;
    server.system = true;
    auto item = catalogue.get(server, id);
    if (!item.ok()) return std::nullopt;
    return item.value().org_unit;
  };
  service::DocumentService documents(store, categories, authorizer, std::move(checks));
  service::AuditService audit(store, policyService);
  service::SearchOptions searchOptions;
  searchOptions.folder = (fs::path(config.data_dir) / "search").string();
  searchOptions.extractor_binary =
      config.extractor.empty() ? siblingExecutable("gongkai") : config.extractor;
  searchOptions.limits.max_input_bytes = static_cast<std::uint64_t>(config.extract_max_file_bytes);
  searchOptions.limits.time_limit = std::chrono::seconds(config.extract_timeout_seconds);
  searchOptions.idle_wait = std::chrono::milliseconds(config.search_poll_milliseconds);
  searchOptions.follow_writes = config.search_follow_writes;
  searchOptions.commit_spacing =
      std::chrono::milliseconds(config.search_commit_spacing_milliseconds);
  searchOptions.split_search_from = config.search_split_from_entries;
  searchOptions.server_id = leases.serverId();
  // A replica folder named after a port picked at random is this run's alone: removed at stop.
  std::string throwawayReplicas;
  if (!alone) {
    searchOptions.shared = &leases;
    searchOptions.replication.address = replication;
    searchOptions.replication.replica_folder = config.search_replica_folder;
    if (config.search_replica_folder.empty()) {
      std::string name = replication;
      std::replace_if(
          name.begin(), name.end(), [](char c) { return c == ':' || c == '[' || c == ']'; }, '-');
      searchOptions.replication.replica_folder =
          (fs::path(config.data_dir) / "search-replicas" / name).string();
      if (replication != config.search_replication_address) {
        throwawayReplicas = searchOptions.replication.replica_folder;
      }
    }
  }
  service::SearchService search(store, searchOptions, authorizer);
  if (auto started = search.start(); !started.ok()) {
    std::cerr << "搜索索引无法启动 (search index failed): " << started.error().message << std::endl;
    return kExitUnavailable;
  }

  service::JobService jobs(store, leases.serverId());
  std::optional<archive::Sm2Signer> sm2;
  if (!config.archive_sm2_key_file.empty()) {
    std::ifstream keyFile(config.archive_sm2_key_file);
    std::stringstream pem;
    pem << keyFile.rdbuf();
    auto loaded = archive::Sm2Signer::fromPem(pem.str());
    if (!keyFile || !loaded.ok()) {
      std::cerr << "SM2 签名密钥无法读取 (cannot read the SM2 signing key): "
                << config.archive_sm2_key_file << std::endl;
      return kExitConfig;
    }
    sm2 = std::move(loaded).value();
  }
  service::ArchiveService archives(
      store, audit, checkpoints, policyService, categories, jobs,
      (fs::path(config.data_dir) / "archives").string(), sm2 ? &*sm2 : nullptr,
      {config.archive_converter, config.archive_converter_timeout_seconds,
       config.archive_converter_max_output_bytes});
  service::ImportService::Options importOptions;
  importOptions.root = config.import_root.empty() ? (fs::path(config.data_dir) / "import").string()
                                                  : config.import_root;
  importOptions.max_file_bytes = config.max_upload_bytes;
  service::ImportService imports(store, documents, jobs, authorizer, importOptions);
  // Once every kind of job knows how to resume: what a stopped server left is adopted now.
  if (auto started = jobs.start(leaseTiming.renew_every); !started.ok()) {
    std::cerr << "后台任务无法启动 (background jobs failed): " << started.error().message
              << std::endl;
    return kExitUnavailable;
  }
  service::SubmissionLimiter publicSubmissions(config.feedback_submissions_per_hour, core::nowUtc);
  service::FeedbackService feedback(
      store, policyService, authorizer, unitExists,
      [&users](const std::string& username) { return users.find(username).ok(); },
      publicSubmissions, core::nowUtc, service::concernsAmong(documents, catalogue));
  service::RequestService requests(store, policyService, authorizer, unitExists, publicSubmissions,
                                   core::nowUtc, service::publicDocuments(documents));
  service::ReportService reports(store, catalogue, feedback, policyService, categories, authorizer);
  service::RetentionService retention(store, categories, authorizer);
  service::ArchiveReceipts receipts(store, policyService,
                                    (fs::path(config.data_dir) / "archives").string());

  if (config.demo) {
    auto loaded =
        loadDemoData(documents, units, users, catalogue, feedback, requests, config.demo_dir);
    if (!loaded.ok()) {
      std::cerr << "示例数据载入失败 (demo data failed): " << loaded.error().message << std::endl;
      return kExitUnavailable;
    }
    log.information("loaded %d demo documents", loaded.value());
    if (auto signedDemo = checkpoints.checkpointNow(); !signedDemo.ok()) {
      log.warning("checkpoint failed: " + signedDemo.error().message);
    }
  }

  const service::DownloadTickets tickets(tokens);
  Poco::Logger& access = setUpAccessLog(config);
  http::ApiOptions options;
  options.max_json_bytes = config.max_json_bytes;
  options.max_upload_bytes = config.max_upload_bytes;
  options.max_files_per_request = config.max_files_per_request;
  options.web_dir = config.web_dir;
  options.health = [&store, &audit]() -> Poco::JSON::Object::Ptr {
    auto size = audit.size();
    if (!size.ok()) return nullptr;
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("status", "ok");
    body->set("schema_version", store.schemaVersion());
    body->set("audit_size", static_cast<Poco::Int64>(size.value()));
    return body;
  };
  options.readiness = [&store, &search, &config] {
    return service::checkReadiness(store, search, config.signingKeyFile());
  };
  net::HttpMetrics httpMetrics;
  options.metrics = [access = service::MetricsAccess(
                         addressList(config.metrics_allowed),
                         [sources = MetricsSources{store, search, signIn, httpMetrics}] {
                           return renderMetrics(sources);
                         })](const service::Subject& subject) { return access.read(subject); };
  const net::Router router =
      http::buildRouter(http::Services{documents, audit, checkpoints, search, units, users, signIn,
                                       tokens, policyService, catalogue, archives, jobs, feedback,
                                       requests, reports, tickets, &imports, &retention, &receipts},
                        options);
  // A route missing from the description (or the reverse) is a slip the tests catch by this.
  for (const auto& mismatch : net::undescribedRoutes(router, http::openApiDocument())) {
    log.warning("OpenAPI description: " + mismatch);
  }
  Poco::SharedPtr<net::HandlerFactory> factory = new net::HandlerFactory(
      router,
      [&tokens](const std::string& token, const std::string& address) {
        return tokens.authenticate(token, address);
      },
      access, log,
      [&tickets](const std::string& ticket, const std::string& path, const std::string& address) {
        return tickets.authenticate(ticket, path, address);
      },
      *clientAddress);
  factory->setMetrics(&httpMetrics);

  auto listener = openListener(ListenerConfig{config.address, config.port, config.max_queued,
                                              config.tls_certificate, config.tls_private_key,
                                              config.tls_ca_chain, config.allow_plain_http});
  if (!listener.ok()) {
    std::cerr << listener.error().message << std::endl;
    return listener.error().code == core::ErrorCode::kInvalidArgument ? kExitConfig
                                                                      : kExitUnavailable;
  }
  Poco::Net::ServerSocket& socket = *listener.value().socket;
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(config.threads);
  params->setMaxQueued(config.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(15, 0));
  params->setTimeout(Poco::Timespan(60, 0));
  params->setServerName("gongkai");
  Poco::ThreadPool pool("http", 2, config.threads);
  net::ConnectionLimits limits;
  limits.per_address = config.connections_per_address;
  limits.exempt.clear();
  for (const auto& address : addressList(config.connection_limit_exempt)) {
    limits.exempt.insert(address);
  }
  limits.head_timeout = std::chrono::seconds(config.header_timeout_seconds);
  limits.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  limits.min_bytes_per_second = config.min_bytes_per_second;
  net::ConnectionGuard guard(limits, log);
  // Poco's HTTPServer is a TCPServer with Poco's HTTP connections; ours are guarded (see
  // ConnectionGuard), and stopping raises the same event HTTPServer::stopAll does.
  Poco::Net::TCPServer server(guard.connectionFactory(params, factory), pool, socket, params);
  server.start();

  const int port = socket.address().port();
  const auto portFile = fs::path(config.data_dir) / "server.port";
  {
    std::ofstream out(portFile.string() + ".tmp");
    out << port << "\n";
  }
  fs::rename(portFile.string() + ".tmp", portFile);
  log.information("gongkai-server listening on %s://%s:%d (data: %s)",
                  std::string(listener.value().tls ? "https" : "http"), config.address, port,
                  config.data_dir);

  waitForTerminationRequest();

  log.information("shutting down: finishing requests in flight");
  server.stop();
  factory->announceStop();
  if (!factory->waitIdle(std::chrono::seconds(config.shutdown_grace_seconds))) {
    log.warning("%d requests still in flight after the grace period", factory->inFlight());
  }
  pool.joinAll();
  jobs.stop();  // a bundle half built is handed over, to be built again by the next server
  checkpoints.stop();
  search.stop();  // what it has not applied stays queued for the next start
  if (!throwawayReplicas.empty()) {
    std::error_code ignored;
    fs::remove_all(throwawayReplicas, ignored);
  }
  leases.stop();  // the others need not wait for this server's leases to expire
  // One last checkpoint, so a clean stop leaves the whole log signed.
  if (auto last = checkpoints.checkpointNow(); !last.ok())
    log.warning("last checkpoint failed: " + last.error().message);
  store.close();
  std::error_code ignored;
  fs::remove(portFile, ignored);
  log.information("stopped");
  return EXIT_OK;
}

}  // namespace gongkai::server::app
