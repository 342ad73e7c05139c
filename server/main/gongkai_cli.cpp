// gongkai: administrative commands on a data folder.
#include <iostream>
#include <string>
#include <vector>

#include "gongkai/server/admin/verify_log.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFault = 1;
constexpr int kExitUsage = 2;

int usage() {
  std::cerr << "用法 (usage):\n"
               "  gongkai verify-log --data-dir DIR [--hash-blobs]\n"
               "      校验审计哈希链与库中文档、文件是否与审计记录一致\n"
               "      (verify the audit hash chain and that stored documents and files match it)\n"
               "退出码 (exit codes): 0 完好 (intact), 1 发现问题 (fault found), 2 用法或读取错误 (usage or I/O error)\n";
  return kExitUsage;
}

int verifyLog(const std::vector<std::string>& args) {
  std::string dataDir;
  gongkai::server::admin::VerifyOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--data-dir" && i + 1 < args.size()) {
      dataDir = args[++i];
    } else if (args[i].rfind("--data-dir=", 0) == 0) {
      dataDir = args[i].substr(11);
    } else if (args[i] == "--hash-blobs") {
      options.hash_blobs = true;
    } else {
      std::cerr << "未知参数 (unknown argument): " << args[i] << "\n";
      return usage();
    }
  }
  if (dataDir.empty()) return usage();
  auto report = gongkai::server::admin::verifyDataDir(dataDir, options);
  if (!report.ok()) {
    std::cerr << "错误 (error): " << report.error().message << "\n";
    return kExitUsage;
  }
  const auto& r = report.value();
  std::cout << "审计记录 (audit entries verified): " << r.entries << "\n"
            << "文档版本 (document versions checked): " << r.versions << "\n"
            << "文件引用 (file references checked): " << r.files << "\n"
            << "链头哈希 (head hash): " << (r.head_hash.empty() ? "-" : r.head_hash) << "\n";
  if (r.chain_fault) {
    std::cout << "审计链断裂 (chain broken) at entry " << r.chain_fault->seq << " ["
              << r.chain_fault->kind << "]: " << r.chain_fault->message << "\n";
  }
  for (const auto& fault : r.state_faults) {
    std::cout << "状态不符 (state mismatch) " << fault.object << " [" << fault.kind
              << "]: " << fault.message << "\n";
  }
  if (r.ok()) {
    std::cout << "结果 (result): 完好 (OK)\n";
    return kExitOk;
  }
  std::cout << "结果 (result): 发现问题 (FAULT)\n";
  return kExitFault;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") return usage();
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "verify-log") return verifyLog(args);
  std::cerr << "未知命令 (unknown command): " << command << "\n";
  return usage();
}
