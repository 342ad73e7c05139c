// gongkai: administrative commands: verify the audit log, rotate the checkpoint signing key,
// back up and restore a data folder, make a bundle's EEP packages, extract the text of a file (the
// server runs that one as its isolated extractor).
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "gongkai/archive/eep_package.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/signed_note.h"
#include "gongkai/indexer/extract.h"
#include "gongkai/policies/policy_set.h"
#include "gongkai/server/admin/backup.h"
#include "gongkai/server/admin/import_client.h"
#include "gongkai/server/admin/restore.h"
#include "gongkai/server/admin/verify_log.h"
#include "gongkai/server/app/config.h"
#include "gongkai/server/service/policy_service.h"
#include "gongkai/server/service/signing_key.h"
#include "gongkai/server/service/user_service.h"
#include "gongkai/server/store/data_folder_lock.h"
#include "gongkai/server/store/store.h"

namespace {

namespace admin = gongkai::server::admin;
namespace note = gongkai::core::note;

constexpr int kExitOk = 0;
constexpr int kExitFault = 1;
constexpr int kExitUsage = 2;
constexpr int kExitExtractFailed = 3;

int usage() {
  std::cerr
      << "用法 (usage):\n"
         "  gongkai verify-log --data-dir DIR [--store-url URL] [--key FILE] [--since FILE]...\n"
         "      [--hash-blobs]\n"
         "      "
         "校验数据目录：审计哈希链、默克尔树、签名检查点，以及库中文档和文件与审计记录是否一致\n"
         "      (verify a data folder: chain, Merkle tree, signed checkpoints, and that stored\n"
         "       documents and files match the audit log)\n"
         "  gongkai verify-log --url URL [--token TOKEN] [--key FILE] [--since FILE]...\n"
         "      校验运行中的服务器；令牌须有 audit.read 权限，也可放在环境变量 GONGKAI_TOKEN 中\n"
         "      (verify a running server's log over HTTP; the token needs audit.read, or set "
         "GONGKAI_TOKEN)\n"
         "  gongkai verify-log --export FILE --key FILE [--since FILE]...\n"
         "      离线校验导出的审计日志 (verify an exported log offline)\n"
         "  gongkai rotate-key --data-dir DIR [--key-file FILE] [--origin NAME]\n"
         "      更换检查点签名密钥；旧检查点仍可验证；之后重启服务器\n"
         "      (replace the checkpoint signing key; old checkpoints stay verifiable; restart the "
         "server)\n"
         "  gongkai backup --data-dir DIR [--store-url URL] --to BACKUP_DIR\n"
         "      "
         "服务器运行时也可备份：数据库快照、其引用的文件、归档包、密钥和清单；搜索索引恢复后重建\n"
         "      (an online backup: database snapshot, the files it refers to, bundles, keys and a\n"
         "       manifest; the search index is rebuilt after a restore)\n"
         "      PostgreSQL 数据库用 pg_dump 导出为 store.pgdump (a PostgreSQL database is dumped\n"
         "       by pg_dump --format=custom into store.pgdump)\n"
         "  gongkai restore --from BACKUP_DIR (--data-dir NEW_DIR | --check) [--store-url URL]\n"
         "      [--key FILE]\n"
         "      按清单核对每个文件，恢复到新的空目录，并像 verify-log --hash-blobs 一样校验；\n"
         "      --check 只核对不保留 (check every item against the manifest, restore into a new\n"
         "       or empty folder and verify it as verify-log --hash-blobs does; --check only "
         "checks)\n"
         "      PostgreSQL 备份用 pg_restore 恢复到 --store-url 所指的空数据库 (a PostgreSQL\n"
         "       backup is restored by pg_restore into the empty database --store-url names)\n"
         "  gongkai user add NAME --role ROLE [--unit UNIT] --data-dir DIR [--store-url URL]\n"
         "      [--policy-dir DIR]\n"
         "      新建账户，密码从标准输入读取一行；服务器须已停止（运行中请用 POST /api/v1/users）\n"
         "      (add an account; the password is read as one line from standard input; stop the\n"
         "       server first, or use POST /api/v1/users while it runs)\n"
         "  gongkai import DIR --server URL [--token TOKEN] [--catalogue FILE] [--skip-bad] "
         "[--check]\n"
         "      请运行中的服务器导入旧档案：DIR 须在服务器的导入根目录 (gongkai.import.root) "
         "之下，\n"
         "      内有文件和目录表 (CSV 或 XLSX)；先检查每一行，有错误的行全部列出且不导入，\n"
         "      --skip-bad 只导入正确的行，--check 只检查；令牌须有 documents.import 权限\n"
         "      (ask a running server to import a legacy archive: DIR, under its import root, "
         "holds\n"
         "       the files and the catalogue; every row is checked first and every bad row "
         "listed;\n"
         "       nothing is imported while any is bad unless --skip-bad; --check only checks)\n"
         "  gongkai export-eep BUNDLE.tar --key SIGNING_KEY.pem --to EEP.tar\n"
         "      由归档包离线生成 DA/T 48 EEP 封装包（每件一个 XML，用单位的 Ed25519 私钥签名，\n"
         "      即 DATA_DIR/keys/checkpoint-signing.pem）；与 GET /api/v1/archives/{id}/eep "
         "字节相同\n"
         "      (make a bundle's DA/T 48 EEP packages offline, signed with the unit's Ed25519 "
         "key;\n"
         "       the same bytes as GET /api/v1/archives/{id}/eep)\n"
         "  gongkai extract-text [--media-type TYPE] [--name NAME] [--max-text-bytes N]\n"
         "      [--max-input-bytes N] [--max-zip-entries N] [--max-expanded-bytes N]\n"
         "      [--max-expansion-ratio R] [--time-limit-ms N] [--max-memory-bytes N] FILE\n"
         "      提取文件文本（纯文本、HTML、DOCX、ODT、OFD、PDF）写到标准输出；标准错误最后一行为\n"
         "      \"ok<TAB>格式<TAB>truncated|complete\" 或 \"错误码<TAB>说明\"\n"
         "      (write the file's text to stdout; the last stderr line is \"ok<TAB>format<TAB>\n"
         "       truncated|complete\" or \"code<TAB>message\"; memory and CPU limits apply)\n"
         "\n"
         "  --key FILE    受信任的验证密钥，每行一个 name+keyid+base64 (trusted verifier keys, one "
         "a line)\n"
         "  --since FILE  之前保存的签名检查点 (a signed checkpoint saved earlier): "
         "日志必须与之一致\n"
         "  --store-url URL  数据库在 PostgreSQL 时与服务器的 gongkai.store.url 相同\n"
         "      (the server's gongkai.store.url when its records are in PostgreSQL):\n"
         "      postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; 也可放在环境变量 GONGKAI_STORE_URL "
         "中\n"
         "      (or set GONGKAI_STORE_URL); 密码可省去，由 libpq 的 PGPASSWORD 或 ~/.pgpass 提供\n"
         "      (the password may be left out for libpq's PGPASSWORD or ~/.pgpass)\n"
         "退出码 (exit codes): 0 完好 (intact), 1 发现问题 (fault found; for backup and restore: "
         "a\n"
         "  file altered, missing or extra, named), 2 用法或读取错误 (usage or I/O error),\n"
         "  3 无法提取文本 (extract-text failed)\n";
  return kExitUsage;
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// The store URL given with --store-url, else GONGKAI_STORE_URL: the environment keeps a password
// in the URL out of `ps`.
std::string storeUrlOr(const std::string& given) {
  if (!given.empty()) return given;
  const char* fromEnvironment = std::getenv("GONGKAI_STORE_URL");
  return fromEnvironment ? fromEnvironment : "";
}

// "--name VALUE" or "--name=VALUE" at args[i]; advances i past the value.
bool takeValue(const std::vector<std::string>& args, std::size_t& i, const std::string& name,
               std::string& value) {
  if (args[i] == name && i + 1 < args.size()) {
    value = args[++i];
    return true;
  }
  if (args[i].rfind(name + "=", 0) == 0) {
    value = args[i].substr(name.size() + 1);
    return true;
  }
  return false;
}

// Reads trusted verifier keys (--key FILE), saying on standard error why when it cannot.
bool readVerifierKeyFile(const std::string& keyFile, std::vector<note::VerifierKey>& keys) {
  std::string text;
  if (!readFile(keyFile, text)) {
    std::cerr << "无法读取 (cannot read) " << keyFile << "\n";
    return false;
  }
  auto parsed = note::parseVerifierKeys(text);
  if (!parsed.ok()) {
    std::cerr << keyFile << ": " << parsed.error().message << "\n";
    return false;
  }
  keys = std::move(parsed).value();
  return true;
}

void printReport(const admin::VerifyReport& r) {
  std::cout << "审计记录 (audit entries verified): " << r.entries << "\n"
            << "默克尔根 (Merkle root): " << (r.root_hash.empty() ? "-" : r.root_hash) << "\n"
            << "链头哈希 (head hash): " << (r.head_hash.empty() ? "-" : r.head_hash) << "\n"
            << "签名检查点 (signed checkpoints checked): " << r.checkpoints;
  if (r.signed_size) std::cout << ", 最大 (largest) " << *r.signed_size;
  std::cout << "\n";
  if (r.versions || r.files) {
    std::cout << "文档版本 (document versions checked): " << r.versions << "\n"
              << "文件引用 (file references checked): " << r.files << "\n";
  }
  if (r.disposed_blobs) {
    std::cout << "已按销毁记录删除的文件 (blobs disposed of, as tombstones say): "
              << r.disposed_blobs << "\n";
  }
  for (const auto& [type, count] : r.record_versions) {
    if (count) std::cout << "其他记录版本 (" << type << " versions checked): " << count << "\n";
  }
  if (r.keys_from_data) {
    std::cout << "注意 (note): 验证密钥取自被校验的一方；用 --key 提供独立保存的密钥 "
                 "(the keys came from what was verified; pass --key with a key kept elsewhere)\n";
  }
  if (r.chain_fault) {
    std::cout << "第一个问题 (first fault) at entry " << r.chain_fault->seq << " ["
              << r.chain_fault->kind << "]: " << r.chain_fault->message << "\n";
  }
  for (const auto& fault : r.state_faults) {
    std::cout << "状态不符 (state mismatch) " << fault.object << " [" << fault.kind
              << "]: " << fault.message << "\n";
  }
}

int verifyLog(const std::vector<std::string>& args) {
  std::string dataDir, url, exportFile, keyFile, value;
  admin::VerifyOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--data-dir", dataDir) || takeValue(args, i, "--url", url) ||
        takeValue(args, i, "--export", exportFile) || takeValue(args, i, "--key", keyFile) ||
        takeValue(args, i, "--token", options.token) ||
        takeValue(args, i, "--store-url", options.store_url)) {
      continue;
    }
    if (takeValue(args, i, "--since", value)) {
      std::string saved;
      if (!readFile(value, saved)) {
        std::cerr << "无法读取 (cannot read) " << value << "\n";
        return kExitUsage;
      }
      options.since.push_back(saved);
    } else if (args[i] == "--hash-blobs") {
      options.hash_blobs = true;
    } else {
      std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
      return usage();
    }
  }
  if ((!dataDir.empty()) + (!url.empty()) + (!exportFile.empty()) != 1) return usage();
  if (!options.store_url.empty() && dataDir.empty()) return usage();
  if (!dataDir.empty()) options.store_url = storeUrlOr(options.store_url);
  if (options.token.empty() && std::getenv("GONGKAI_TOKEN"))
    options.token = std::getenv("GONGKAI_TOKEN");
  if (!keyFile.empty() && !readVerifierKeyFile(keyFile, options.keys)) return kExitUsage;

  gongkai::core::Result<admin::VerifyReport> report = admin::VerifyReport{};
  if (!dataDir.empty()) {
    report = admin::verifyDataDir(dataDir, options);
  } else if (!url.empty()) {
    report = admin::verifyServer(url, options);
  } else {
    std::ifstream in(exportFile, std::ios::binary);
    if (!in) {
      std::cerr << "无法读取 (cannot read) " << exportFile << "\n";
      return kExitUsage;
    }
    report = admin::verifyExport(in, options);
  }
  if (!report.ok()) {
    std::cerr << "错误 (error): " << report.error().message << "\n";
    return kExitUsage;
  }
  printReport(report.value());
  if (report.value().ok()) {
    std::cout << "结果 (result): 完好 (OK)\n";
    return kExitOk;
  }
  std::cout << "结果 (result): 发现问题 (FAULT)\n";
  return kExitFault;
}

double secondsSince(const timespec& start) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec - start.tv_sec) +
         static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e9;
}

// A backup beside a running server: it reads the database through a snapshot and takes no
// data-folder lock, so the server goes on serving and writing.
int backup(const std::vector<std::string>& args) {
  std::string dataDir, storeUrl, backupDir;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--data-dir", dataDir) || takeValue(args, i, "--to", backupDir) ||
        takeValue(args, i, "--store-url", storeUrl)) {
      continue;
    }
    std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
    return usage();
  }
  if (dataDir.empty() || backupDir.empty()) return usage();
  timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  auto made = admin::createBackup(dataDir, storeUrlOr(storeUrl), backupDir);
  if (!made.ok()) {
    std::cerr << "错误 (error): " << made.error().message << "\n";
    return made.error().code == gongkai::core::ErrorCode::kCorrupt ? kExitFault : kExitUsage;
  }
  const auto& r = made.value();
  std::cout << "备份完成 (backup written): " << backupDir << "\n"
            << "审计记录 (audit entries): " << r.audit_size << "\n"
            << "文件 (files): " << r.blobs << ", 归档包 (bundles): " << r.bundles
            << ", 密钥文件 (key files): " << r.keys << "\n"
            << "字节 (bytes): " << r.bytes << ", 用时 (seconds): " << secondsSince(start) << "\n"
            << "搜索索引未备份，恢复后服务器首次启动时重建 (the search index is not in the backup: "
               "the restored server rebuilds it when it first starts)\n";
  return kExitOk;
}

int restore(const std::vector<std::string>& args) {
  std::string backupDir, dataDir, keyFile;
  admin::RestoreOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--from", backupDir) || takeValue(args, i, "--data-dir", dataDir) ||
        takeValue(args, i, "--key", keyFile) ||
        takeValue(args, i, "--store-url", options.store_url)) {
      continue;
    }
    if (args[i] == "--check") {
      options.check_only = true;
      continue;
    }
    std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
    return usage();
  }
  if (backupDir.empty() || (dataDir.empty() && !options.check_only)) return usage();
  // A check restores beside the backup and removes what it restored.
  if (dataDir.empty()) {
    // "bk/" must give "bk.check", not "bk/.check" inside the backup, where a leftover would
    // make the backup's listing check fail.
    std::filesystem::path backup = std::filesystem::path(backupDir).lexically_normal();
    if (!backup.has_filename()) backup = backup.parent_path();
    dataDir = backup.string() + ".check";
  }
  if (!keyFile.empty() && !readVerifierKeyFile(keyFile, options.keys)) return kExitUsage;
  options.store_url = storeUrlOr(options.store_url);
  auto restored = admin::restoreBackup(backupDir, dataDir, options);
  if (!restored.ok()) {
    std::cerr << "错误 (error): " << restored.error().message << "\n";
    return restored.error().code == gongkai::core::ErrorCode::kCorrupt ? kExitFault : kExitUsage;
  }
  const auto& r = restored.value();
  std::cout << "核对文件 (items checked against the manifest): " << r.items
            << ", 字节 (bytes): " << r.bytes << "\n";
  printReport(r.verify);
  if (!r.verify.ok()) {
    std::cout << "结果 (result): 发现问题，未恢复 (FAULT: nothing restored)\n";
    return kExitFault;
  }
  if (options.check_only) {
    std::cout << "结果 (result): 备份完好，可以恢复 (OK: the backup restores and verifies)\n";
  } else {
    std::cout << "结果 (result): 已恢复并校验 (OK: restored and verified) " << dataDir << "\n"
              << "搜索索引将在服务器首次启动时重建 (the server rebuilds the search index when it "
                 "first starts)\n";
  }
  return kExitOk;
}

// gongkai user add NAME --role ROLE [--unit UNIT] --data-dir DIR: the way in for the first admin
// (or any account) without a running server. The password comes from standard input, never from
// the command line, where other users could read it.
int userAdd(const std::vector<std::string>& args) {
  std::string name, role, unit, dataDir, storeUrl, iterations;
  std::string policyDir = gongkai::server::app::defaultResourceDir("policies");
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (takeValue(args, i, "--role", role) || takeValue(args, i, "--unit", unit) ||
        takeValue(args, i, "--data-dir", dataDir) || takeValue(args, i, "--store-url", storeUrl) ||
        takeValue(args, i, "--policy-dir", policyDir) ||
        takeValue(args, i, "--pbkdf2-iterations", iterations)) {
      continue;
    }
    if (name.empty() && args[i].rfind("--", 0) != 0) {
      name = args[i];
      continue;
    }
    std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
    return usage();
  }
  if (args.empty() || args[0] != "add" || name.empty() || role.empty() || dataDir.empty())
    return usage();
  gongkai::server::service::AuthOptions auth;
  if (!iterations.empty()) {
    try {
      auth.pbkdf2_iterations = std::stoi(iterations);  // for tests: the server's own setting
    } catch (const std::exception&) {
      return usage();
    }
  }
  // Typed at a terminal, the password is not echoed.
  std::string password;
  if (isatty(STDIN_FILENO)) {
    std::cerr << "密码 (password): " << std::flush;
    termios saved{};
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  } else {
    std::getline(std::cin, password);
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto policySet = gongkai::server::service::loadPolicyFolder(policyDir);
  if (!policySet.ok()) {
    std::cerr << policySet.error().message << "\n";
    return kExitUsage;
  }
  auto claimed = gongkai::server::store::DataFolderLock::acquire(dataDir);
  if (!claimed.ok()) {
    std::cerr << "错误 (error): " << claimed.error().message << "\n";
    return kExitFault;
  }
  gongkai::server::store::StoreOptions storeOptions;
  storeOptions.url = storeUrlOr(storeUrl);
  auto store = gongkai::server::store::Store::open(dataDir, storeOptions);
  if (!store.ok()) {
    std::cerr << store.error().message << "\n";
    return kExitUsage;
  }
  gongkai::server::service::PolicyService policies(*store.value(), policyDir,
                                                   std::move(policySet).value());
  gongkai::server::service::UnitService units(*store.value(), policies);
  gongkai::server::service::UserService users(*store.value(), policies, units, auth, [&] {
    return gongkai::policies::Authorizer(policies.engine(), units.unitTree());
  });
  // The operator at the machine acts with the data folder's own authority.
  gongkai::server::service::Subject cli;
  cli.id = "cli";
  cli.system = true;
  auto made = users.addUser(cli, name, password, {{role, unit}});
  store.value()->close();
  if (!made.ok()) {
    std::cerr << "错误 (error): " << made.error().message << "\n";
    for (const auto& field : made.error().fields)
      std::cerr << "  " << field.field << ": " << field.message << "\n";
    return kExitFault;
  }
  std::cout << "已创建账户 (account created): " << name << " (" << role
            << (unit.empty() ? "" : "@" + unit) << ")\n";
  return kExitOk;
}

int rotateKey(const std::vector<std::string>& args) {
  std::string dataDir, keyFile, origin;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--data-dir", dataDir) || takeValue(args, i, "--key-file", keyFile) ||
        takeValue(args, i, "--origin", origin)) {
      continue;
    }
    std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
    return usage();
  }
  if (keyFile.empty() && dataDir.empty()) return usage();
  std::unique_ptr<gongkai::server::store::DataFolderLock> claimed;
  if (!dataDir.empty()) {
    auto lock = gongkai::server::store::DataFolderLock::acquire(dataDir);
    if (!lock.ok()) {
      std::cerr << "错误 (error): " << lock.error().message << "\n";
      return kExitFault;
    }
    claimed = std::move(lock).value();
  }
  if (keyFile.empty()) keyFile = gongkai::server::app::defaultSigningKeyFile(dataDir);
  if (origin.empty()) {
    // The log keeps its name: the one the current key signs under.
    auto listed = gongkai::server::service::readVerifierKeys(keyFile);
    if (!listed.ok()) {
      std::cerr << listed.error().message << "\n";
      return kExitUsage;
    }
    origin = listed.value().back().name;
  }
  auto signer = gongkai::server::service::rotateSigningKey(keyFile, origin);
  if (!signer.ok()) {
    std::cerr << "错误 (error): " << signer.error().message << "\n";
    return kExitUsage;
  }
  std::cout << "新的验证密钥 (new verifier key): "
            << note::formatVerifierKey(signer.value().verifier)
            << "\n重启服务器后生效 (takes effect when the server restarts)\n";
  return kExitOk;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// Caps on this process while it extracts: address space, CPU seconds, and an alarm as a last
// resort should the extractor block without using CPU. Its own deadline normally comes first.
void limitResources(const gongkai::indexer::ExtractionLimits& limits) {
  // Not in a build with AddressSanitizer: it has reserved terabytes of address space for its
  // shadow memory before main, so any cap on the address space makes every later mmap fail.
  if (limits.max_memory_bytes > 0 && !kAddressSanitizer) {
    const rlimit memory{limits.max_memory_bytes, limits.max_memory_bytes};
    setrlimit(RLIMIT_AS, &memory);
  }
  const auto seconds = static_cast<rlim_t>(std::ceil(limits.time_limit.count() / 1000.0)) + 1;
  const rlimit cpu{seconds, seconds + 1};
  setrlimit(RLIMIT_CPU, &cpu);
  alarm(static_cast<unsigned>(seconds + 1));
}

// Parses "--NAME VALUE" number options of extract-text into limits; false on a bad number.
bool takeLimit(const std::vector<std::string>& args, std::size_t& i,
               gongkai::indexer::ExtractionLimits& limits, bool& bad) {
  std::string value;
  const auto number = [&](auto& field) {
    try {
      std::size_t used = 0;
      if constexpr (std::is_floating_point_v<std::remove_reference_t<decltype(field)>>) {
        field = std::stod(value, &used);
      } else {
        field = static_cast<std::remove_reference_t<decltype(field)>>(std::stoull(value, &used));
      }
      bad = used != value.size() || value.empty() || value[0] == '-';
    } catch (const std::exception&) {
      bad = true;
    }
    return true;
  };
  if (takeValue(args, i, "--max-input-bytes", value)) return number(limits.max_input_bytes);
  if (takeValue(args, i, "--max-text-bytes", value)) return number(limits.max_text_bytes);
  if (takeValue(args, i, "--max-zip-entries", value)) return number(limits.max_zip_entries);
  if (takeValue(args, i, "--max-expanded-bytes", value)) return number(limits.max_expanded_bytes);
  if (takeValue(args, i, "--max-expansion-ratio", value)) return number(limits.max_expansion_ratio);
  if (takeValue(args, i, "--max-memory-bytes", value)) return number(limits.max_memory_bytes);
  if (takeValue(args, i, "--time-limit-ms", value)) {
    long long ms = 0;
    number(ms);
    limits.time_limit = std::chrono::milliseconds(ms);
    return true;
  }
  return false;
}

int extractText(const std::vector<std::string>& args) {
  gongkai::indexer::ExtractionLimits limits;
  std::string mediaType, name, path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool bad = false;
    if (takeValue(args, i, "--media-type", mediaType) || takeValue(args, i, "--name", name)) {
      continue;
    }
    if (takeLimit(args, i, limits, bad)) {
      if (!bad) continue;
      std::cerr << "参数值无效 (bad value): " << args[i] << "\n";
      return usage();
    }
    if (args[i] == "--" && i + 2 == args.size()) {
      path = args[++i];
    } else if (args[i].rfind("--", 0) != 0 && path.empty()) {
      path = args[i];
    } else {
      std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
      return usage();
    }
  }
  if (path.empty()) return usage();
  if (name.empty()) name = path.substr(path.rfind('/') + 1);
  limitResources(limits);
  const auto result = gongkai::indexer::extractFile(path, mediaType, name, limits);
  if (!result.ok) {
    std::cerr << result.error_code << "\t" << result.message << "\n";
    return kExitExtractFailed;
  }
  if (std::fwrite(result.text.data(), 1, result.text.size(), stdout) != result.text.size() ||
      std::fflush(stdout) != 0) {
    std::cerr << "无法写出文本 (cannot write the text)\n";
    return kExitUsage;
  }
  std::cerr << "ok\t" << result.format << "\t" << (result.truncated ? "truncated" : "complete")
            << "\n";
  return kExitOk;
}

// gongkai export-eep BUNDLE.tar --key SIGNING_KEY.pem --to EEP.tar: what the server's /eep route
// serves, made from a bundle file by whoever holds the unit's key (archive/eep_package.h).
int exportEep(const std::vector<std::string>& args) {
  std::string bundle, keyFile, out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--key", keyFile) || takeValue(args, i, "--to", out)) continue;
    if (args[i].rfind("--", 0) != 0 && bundle.empty()) {
      bundle = args[i];
    } else {
      std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
      return usage();
    }
  }
  if (bundle.empty() || keyFile.empty() || out.empty()) return usage();
  std::ifstream keyIn(keyFile);
  std::stringstream pem;
  pem << keyIn.rdbuf();
  auto signer = gongkai::core::Ed25519Signer::fromPem(pem.str());
  if (!keyIn || !signer.ok()) {
    std::cerr << "无法读取签名私钥 (cannot read the signing key): " << keyFile << "\n";
    return kExitUsage;
  }
  auto written = gongkai::archive::writeEepPackage(bundle, out, signer.value());
  if (!written.ok()) {
    std::cerr << written.error().reason << "\t" << written.error().message << "\n";
    return kExitFault;
  }
  std::cout << out << "\t" << written.value().items << " 件 (items)\t" << written.value().size
            << " 字节 (bytes)\tsha256 " << written.value().sha256 << "\n";
  return kExitOk;
}

// An import goes through a running server (see admin/import_client.h): the server checks the
// rows against its own state, files them with their audit entries under the token's account,
// and carries the job across its own restarts; this command starts and follows it.
int importFolder(const std::vector<std::string>& args) {
  admin::ImportClientOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (takeValue(args, i, "--catalogue", options.catalogue) ||
        takeValue(args, i, "--server", options.url) ||
        takeValue(args, i, "--token", options.token)) {
      continue;
    }
    if (args[i] == "--skip-bad") {
      options.skip_bad = true;
    } else if (args[i] == "--check") {
      options.check_only = true;
    } else if (args[i].rfind("--", 0) != 0 && options.folder.empty()) {
      options.folder = args[i];
    } else {
      std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
      return usage();
    }
  }
  if (options.token.empty()) {
    if (const char* token = std::getenv("GONGKAI_TOKEN")) options.token = token;
  }
  if (options.folder.empty() || options.url.empty()) return usage();
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(options.folder, ec);
  if (!ec) options.folder = absolute.lexically_normal().string();
  if (!options.catalogue.empty() && std::filesystem::exists(options.catalogue)) {
    options.catalogue =
        std::filesystem::absolute(options.catalogue, ec).lexically_normal().string();
  }
  options.progress_bar = ::isatty(STDERR_FILENO) == 1;
  return admin::importThroughServer(options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(0077);  // what `user add` and `rotate-key` write is the server account's alone
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") return usage();
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "verify-log") return verifyLog(args);
  if (command == "rotate-key") return rotateKey(args);
  if (command == "user") return userAdd(args);
  if (command == "backup") return backup(args);
  if (command == "restore") return restore(args);
  if (command == "extract-text") return extractText(args);
  if (command == "import") return importFolder(args);
  if (command == "export-eep") return exportEep(args);
  std::cerr << "未知命令 (unknown command): " << command << "\n";
  return usage();
}
