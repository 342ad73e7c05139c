// gongkai-verify: checks an annual archive bundle offline, with nothing but the bundle and the
// unit's public key, and prints the four-property report (四性检测) item by item as DA/T 70
// numbers them. Links only libarchive and OpenSSL (through gongkai_archive and
// gongkai_core_base): no server code, no database.
//
//   gongkai-verify BUNDLE.tar --key PUBKEY.pem [--key SM2KEY.pem] [--json] [--html FILE]
//   gongkai-verify --eep EEP.tar --key PUBKEY.pem [--json]
//
// The second form checks an EEP export (DA/T 48, GET /api/v1/archives/{id}/eep): each package
// against the schema, its Ed25519 signature, and every encoded file against its digest.
//
// Exit status: 0 when every check passed, 1 when any failed, 2 for a usage error.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gongkai/archive/bundle_verifier.h"
#include "gongkai/archive/eep_package.h"

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << problem << "\n";
  std::cerr
      << "用法 (usage): gongkai-verify BUNDLE.tar --key PUBKEY.pem [--key SM2KEY.pem] [--json] "
         "[--html FILE]\n"
         "             gongkai-verify --eep EEP.tar --key PUBKEY.pem [--json]\n"
         "  --key   单位的公钥 (PEM，Ed25519 或 SM2)，可给多个 (the unit's public key, PEM, "
         "Ed25519 or SM2; repeatable)\n"
         "  --eep   检查 EEP 导出包 (DA/T 48) 而非归档包 (check an EEP export, not a bundle)\n"
         "  --json  以 JSON 输出报告 (print the report as JSON)\n"
         "  --html  另将可打印的中文报告写入该文件 (also write the printable Chinese report to "
         "FILE)\n"
         "退出码 (exit status): 0 通过 (pass), 1 不通过 (fail), 2 用法错误 (usage error)\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bundle;
  bool json = false;
  bool eep = false;
  std::string htmlPath;
  gongkai::archive::VerifyOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--eep") {
      eep = true;
    } else if (arg == "--html") {
      if (i + 1 >= argc) return usage("--html 需要文件名 (--html needs a file)");
      htmlPath = argv[++i];
    } else if (arg == "--key") {
      if (i + 1 >= argc) return usage("--key 需要文件名 (--key needs a file)");
      std::ifstream in(argv[++i]);
      if (!in) return usage(std::string("无法读取公钥 (cannot read key): ") + argv[i]);
      std::stringstream pem;
      pem << in.rdbuf();
      options.public_key_pems.push_back(pem.str());
    } else if (arg == "-h" || arg == "--help") {
      return usage("");
    } else if (!arg.empty() && arg[0] == '-') {
      return usage("未知选项 (unknown option): " + arg);
    } else if (bundle.empty()) {
      bundle = arg;
    } else {
      return usage("只能检查一个归档包 (one bundle at a time)");
    }
  }
  if (bundle.empty()) return usage("缺少归档包 (no bundle given)");
  if (options.public_key_pems.empty()) return usage("缺少 --key (no --key given)");
  if (eep && !htmlPath.empty()) return usage("--eep 不支持 --html (--eep has no --html)");
  try {
    if (eep) {
      const auto report = gongkai::archive::verifyEepPackage(bundle, options.public_key_pems);
      std::cout << (json ? gongkai::archive::formatEepReportJson(report)
                         : gongkai::archive::formatEepReportText(report));
      return report.passed() ? 0 : kExitFailed;
    }
    const auto report = gongkai::archive::verifyBundle(bundle, options);
    std::cout << (json ? gongkai::archive::formatReportJson(report)
                       : gongkai::archive::formatReportText(report));
    if (!htmlPath.empty()) {
      std::ofstream html(htmlPath, std::ios::binary | std::ios::trunc);
      html << gongkai::archive::formatReportHtml(report);
      if (!html.flush()) {
        std::cerr << "无法写入报告 (cannot write the report): " << htmlPath << "\n";
        return kExitUsage;
      }
    }
    return report.passed() ? 0 : kExitFailed;
  } catch (const std::exception& e) {
    // Out of memory or the like: the bundle was not shown to be good.
    std::cerr << "检查中止 (check aborted): " << e.what() << "\n";
    return kExitFailed;
  }
}
