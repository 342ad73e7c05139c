#include "gongkai/server/app/demo_data.h"

#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gongkai/core/json.h"

namespace gongkai::server::app {

core::Result<int> loadDemoData(service::DocumentService& documents, service::AccountService& accounts,
                               const store::BlobStore& blobs, const std::string& demoDir) {
  using core::Error;
  using core::ErrorCode;
  auto existing = documents.list(store::DocumentFilter{});
  if (!existing.ok()) return existing.error();
  if (existing.value().total > 0) return 0;

  const auto manifestPath = std::filesystem::path(demoDir) / "demo.json";
  std::ifstream in(manifestPath, std::ios::binary);
  if (!in) return Error::make(ErrorCode::kIo, "demo_unreadable", "无法读取 " + manifestPath.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto manifest = core::parseJsonObject(text.str());
  if (!manifest.ok()) return manifest.error();
  const auto list = manifest.value()->getArray("documents");
  if (!list) return Error::make(ErrorCode::kInvalidArgument, "demo_invalid", "demo.json: documents");

  service::Subject demo;
  demo.id = "demo";
  // The units the demo documents belong to, unless they exist already.
  if (const auto units = manifest.value()->getArray("org_units")) {
    for (unsigned i = 0; i < units->size(); ++i) {
      const auto unit = units->getObject(i);
      if (accounts.unitTree()->contains(unit->getValue<std::string>("code"))) continue;
      auto made = accounts.createUnit(demo, unit);
      if (!made.ok()) return made.error();
    }
  }
  int created = 0;
  for (unsigned i = 0; i < list->size(); ++i) {
    const auto item = list->getObject(i);
    auto metadata = item->getObject("metadata");
    std::vector<service::IncomingFile> files;
    if (const auto names = item->getArray("files")) {
      for (unsigned k = 0; k < names->size(); ++k) {
        const std::string name = names->getElement<std::string>(k);
        std::ifstream file(std::filesystem::path(demoDir) / "files" / name, std::ios::binary);
        if (!file) return Error::make(ErrorCode::kIo, "demo_unreadable", "无法读取 demo 文件 " + name);
        auto staged = blobs.stage(file, std::int64_t{1} << 30);
        if (!staged.ok()) return staged.error();
        files.push_back(service::IncomingFile{name, "", std::move(staged).value()});
      }
    }
    auto document = documents.create(demo, metadata, std::move(files));
    if (!document.ok()) return document.error();
    ++created;
  }
  return created;
}

}  // namespace gongkai::server::app
