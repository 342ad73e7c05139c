// The multipart/form-data reader (server/src/net/multipart_upload.h) with a real blob store in
// a temporary folder: the input is the body (boundary "B"), read with and without a declared
// length. It never crashes, keeps to its limits, and leaves no staged file behind.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "gongkai/server/store/blob_store.h"
#include "multipart_upload.h"

namespace {

using gongkai::server::net::UploadLimits;
using gongkai::server::store::BlobStore;

// In /dev/shm (tmpfs) where there is one: the store fsyncs every staged file, as the server's
// uploads must, and on a disk each fsync waits for it, which was most of an input's time
// (about 150 runs/s). On tmpfs the same calls run, fsync included, and return at once; the
// durability they buy is not what this target tests.
const std::filesystem::path& folder() {
  static const std::filesystem::path path = [] {
    std::error_code ec;
    const bool shm = std::filesystem::is_directory("/dev/shm", ec);
    std::string pattern = std::string(shm ? "/dev/shm" : "/tmp") + "/gongkai-multipart-fuzz-XXXXXX";
    const char* made = ::mkdtemp(pattern.data());
    FUZZ_CHECK(made != nullptr, "a temporary folder");
    return std::filesystem::path(made);
  }();
  return path;
}

const BlobStore& blobs() {
  static const BlobStore store = [] {
    auto opened = BlobStore::open(folder().string());
    FUZZ_CHECK(opened.ok(), "the blob store opens");
    std::atexit([] { std::filesystem::remove_all(folder()); });
    return std::move(opened).value();
  }();
  return store;
}

// Stages a file part into the blob store, as DocumentService::stageFile does for the server.
gongkai::core::Result<gongkai::server::service::IncomingFile> stage(std::istream& in,
                                                                    std::int64_t maxBytes,
                                                                    std::string name,
                                                                    std::string mediaType) {
  auto staged = blobs().stage(in, maxBytes);
  if (!staged.ok()) return staged.error();
  return gongkai::server::service::IncomingFile{std::move(name), std::move(mediaType),
                                                std::move(staged).value()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)blobs();  // opened before the first input, which may stage nothing (the check below)
  UploadLimits limits;
  limits.max_json_bytes = 4096;
  limits.max_upload_bytes = 65536;
  limits.max_files = 3;
  for (const std::int64_t declared : {static_cast<std::int64_t>(size), std::int64_t{-1}}) {
    std::istringstream in(body);
    auto form = gongkai::server::net::parseUpload(in, "multipart/form-data; boundary=B", declared,
                                                  stage, limits);
    if (form.ok()) {
      FUZZ_CHECK(static_cast<int>(form.value().files.size()) <= limits.max_files,
                 "at most max_files files");
      std::int64_t total = 0;
      for (const auto& file : form.value().files) total += file.blob.size();
      FUZZ_CHECK(total <= limits.max_upload_bytes, "files within max_upload_bytes");
      FUZZ_CHECK(
          !form.value().metadata ||
              static_cast<std::int64_t>(form.value().metadata->size()) <= limits.max_json_bytes,
          "metadata within max_json_bytes");
    }
  }
  // Staged files are temporary: whatever the outcome, none is left once the form is gone.
  FUZZ_CHECK(std::filesystem::is_empty(folder() / "tmp"), "no staged file left behind");
  return 0;
}
