#include "gongkai/archive/bag_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "async_digest.h"
#include "gongkai/core/sha256.h"

namespace gongkai::archive {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kChunk = 1 << 20;

bool isSafeName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

bool isSafePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.size() > 1000) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  return std::none_of(path.begin(), path.end(),
                      [](unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; });
}

// Where the tar's bytes go: a file, written in large blocks, with the SHA-256 of everything
// written taken on the way (on its own thread), so the bundle's own digest costs no second read.
//
// A durable tar is written for keeping, not to be read again soon (the check reads it on its way,
// see StreamedCheck): it goes straight to the disk (O_DIRECT) in whole aligned blocks, not through
// the page cache, where a bundle of a few GiB would only push out what the server does read. On
// a virtual machine that hands its free memory back to the host it also saves most of the
// writing's time: copying 512 MiB into fresh page-cache pages took about 2 s of CPU here, against
// 0.15 s into pages just freed and none at all for direct writes. What is left at the end that is
// not a whole block (and all of it where the file system refuses O_DIRECT) goes through the cache.
class HashingFile {
 public:
  HashingFile(const std::string& path, bool durable)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)),
        durable_(durable),
        sha256_(EVP_sha256()),
        buffer_(static_cast<char*>(std::aligned_alloc(kAlign, kChunk))) {
    if (fd_ < 0) throw std::runtime_error("cannot create " + path);
    if (!buffer_) throw std::bad_alloc();
    if (durable_) setDirect(true);
  }
  ~HashingFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  void write(const char* data, std::size_t size) {
    size_ += static_cast<std::int64_t>(size);
    while (size > 0) {
      const std::size_t take = std::min(size, kChunk - used_);
      std::memcpy(buffer_.get() + used_, data, take);
      used_ += take;
      data += take;
      size -= take;
      if (used_ == kChunk) flush();
    }
  }

  // Where the file stands now, to rewind() to later: everything handed over so far is written
  // and hashed.
  struct Mark {
    std::int64_t size = 0;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha256{nullptr, &EVP_MD_CTX_free};
  };
  Mark mark() {
    flush();
    return {size_, {sha256_.save(), &EVP_MD_CTX_free}};
  }
  // From now on every byte written to the file is also written to `fd` (a pipe to the check),
  // until stopTee(), which first hands over what is buffered.
  void teeTo(int fd) { tee_ = fd; }
  void stopTee() {
    flush();
    tee_ = -1;
  }
  // Cuts the file back to `mark` and goes on writing (and hashing) from there.
  void rewind(const Mark& mark) {
    used_ = 0;
    if (::ftruncate(fd_, mark.size) != 0 || ::lseek(fd_, mark.size, SEEK_SET) != mark.size) {
      throw std::runtime_error("cannot rewind the tar");
    }
    sha256_.restore(mark.sha256.get());
    size_ = written_ = mark.size;
    started_ = std::min(started_, mark.size);
  }
  // Zeros up to the next multiple of `block` bytes, as a blocked tar writer ends its last block.
  void padTo(std::int64_t block) {
    const std::vector<char> zeros(static_cast<std::size_t>((block - size_ % block) % block), 0);
    if (!zeros.empty()) write(zeros.data(), zeros.size());
  }

  BagWriter::Written finish() {
    flush();
    if (durable_ && ::fsync(fd_) != 0) throw std::runtime_error("fsync failed");
    if (::close(fd_) != 0) throw std::runtime_error("close failed");
    fd_ = -1;
    return {size_, sha256_.finishHex()};
  }

 private:
  static constexpr std::size_t kAlign = 4096;  // covers 512- and 4096-byte disk sectors

  // Everything buffered goes out: whole blocks directly while the file is written directly,
  // the rest (only ever at the end of a stretch: a mark, the tar's end) through the cache.
  void flush() {
    if (used_ == 0) return;
    sha256_.update(buffer_.get(), used_);
    const std::size_t whole = direct_ ? used_ / kAlign * kAlign : used_;
    if (whole > 0) writeOut(buffer_.get(), whole);
    if (whole < used_) {
      setDirect(false);
      writeOut(buffer_.get() + whole, used_ - whole);
    }
    used_ = 0;
  }
  void writeOut(const char* data, std::size_t size) {
    if (tee_ >= 0 && writeFully(tee_, data, size) != size) {
      throw std::runtime_error("cannot hand the tar to its check");
    }
    std::size_t done = writeFully(fd_, data, size);
    // A file system may take O_DIRECT at open and refuse it at the first write.
    if (done < size && direct_ && errno == EINVAL) {
      setDirect(false);
      done += writeFully(fd_, data + done, size - done);
    }
    written_ += static_cast<std::int64_t>(done);
    if (done < size) throw std::runtime_error("write failed");
    // A durable tar written through the cache is written back while the rest is still being
    // hashed, not all at the final fsync: start writeback of every full stretch as soon as it
    // is written.
    if (durable_ && !direct_ && written_ - started_ >= kWritebackStretch) {
      ::sync_file_range(fd_, started_, written_ - started_, SYNC_FILE_RANGE_WRITE);
      started_ = written_;
    }
  }
  // The bytes written, all of them unless write() failed (errno tells why).
  static std::size_t writeFully(int fd, const char* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t now = ::write(fd, data + done, size - done);
      if (now < 0 && errno == EINTR) continue;
      if (now <= 0) break;
      done += static_cast<std::size_t>(now);
    }
    return done;
  }
  void setDirect(bool on) {
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags < 0) return;
    direct_ = on && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
    if (!direct_) ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
  }
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  static constexpr std::int64_t kWritebackStretch = std::int64_t{32} << 20;
  int fd_;
  int tee_ = -1;
  bool durable_;
  bool direct_ = false;       // writing whole aligned blocks straight to the disk
  std::int64_t written_ = 0;  // bytes handed to the file
  std::int64_t started_ = 0;  // bytes whose writeback has been started
  AsyncDigest sha256_;
  std::unique_ptr<char, Free> buffer_;  // kChunk bytes, aligned for direct writes
  std::size_t used_ = 0;
  std::int64_t size_ = 0;
};

// A check run on a thread of its own on the tar as it is written, through a pipe: the check
// reads while the writer writes, on the machine's other core, instead of reading the file back
// afterwards. Whatever the check leaves unread is drained, so the writer never waits on a check
// that stopped early (nor gets SIGPIPE from one).
class StreamedCheck {
 public:
  explicit StreamedCheck(const BagWriter::Check& check) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("cannot create a pipe");
    read_ = fds[0];
    write_ = fds[1];
    // A larger pipe keeps both sides busy across the writer's 1 MiB writes (best effort: the
    // default 64 KiB works too, with more switches).
    ::fcntl(write_, F_SETPIPE_SZ, static_cast<int>(kChunk));
    try {
      thread_ = std::thread([this, &check] { run(check); });
    } catch (...) {
      ::close(read_);
      ::close(write_);
      throw;
    }
  }
  ~StreamedCheck() {
    endOfTar();
    if (thread_.joinable()) thread_.join();
    ::close(read_);
  }
  StreamedCheck(const StreamedCheck&) = delete;
  StreamedCheck& operator=(const StreamedCheck&) = delete;

  int fd() const { return write_; }
  // The tar is written: the check reads to its end and answers.
  core::Result<BagWriter::TagFiles> result() {
    endOfTar();
    thread_.join();
    return std::move(*result_);
  }

 private:
  void run(const BagWriter::Check& check) {
    try {
      result_.emplace(check(read_));
    } catch (const std::exception& e) {
      result_.emplace(core::Error::make(core::ErrorCode::kInternal, "check_failed",
                                        std::string("检查失败 (check failed): ") + e.what()));
    }
    std::vector<char> sink(64 * 1024);
    while (true) {
      const ssize_t got = ::read(read_, sink.data(), sink.size());
      if (got == 0 || (got < 0 && errno != EINTR)) break;
    }
  }
  void endOfTar() {
    if (write_ >= 0) ::close(write_);
    write_ = -1;
  }
  int read_ = -1, write_ = -1;
  std::optional<core::Result<BagWriter::TagFiles>> result_;
  std::thread thread_;
};

// One tar being written: entries with fixed times, modes and no owners.
class TarOut {
 public:
  // libarchive reads names in the thread's locale; a server runs in the C locale, where Chinese
  // names cannot be converted (it would mark them BINARY, which GNU tar warns about). This thread
  // uses C.UTF-8 while the tar is written, so names go out as plain UTF-8 pax paths whatever the
  // process locale is.
  TarOut(HashingFile& out, std::int64_t mtime)
      : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{})),
        previous_(utf8_ != locale_t{} ? uselocale(utf8_) : uselocale(locale_t{})),
        archive_(archive_write_new()),
        mtime_(mtime) {
    archive_write_set_format_pax_restricted(archive_);
    // Unblocked: each entry's bytes reach the file when written, so the tar can be cut at an
    // entry's end (BagWriter::writeTo with a check). The file pads the last block itself
    // (kTarBlock), as libarchive's blocked output would.
    archive_write_set_bytes_per_block(archive_, 0);
    if (archive_write_open(archive_, &out, nullptr, &TarOut::writeCallback, nullptr) !=
        ARCHIVE_OK) {
      fail();
    }
  }
  ~TarOut() {
    archive_write_free(archive_);
    uselocale(previous_);
    if (utf8_ != locale_t{}) freelocale(utf8_);
  }

  void directory(const std::string& path) { header(path, AE_IFDIR, 0755, 0); }

  void file(const std::string& path, std::int64_t size) { header(path, AE_IFREG, 0644, size); }

  void data(const char* bytes, std::size_t size) {
    if (archive_write_data(archive_, bytes, size) < 0) fail();
  }

  // Ends the current entry (its padding written), so the next byte starts a header.
  void endEntry() {
    if (archive_write_finish_entry(archive_) != ARCHIVE_OK) fail();
  }

  void close() {
    if (archive_write_close(archive_) != ARCHIVE_OK) fail();
  }

 private:
  static la_ssize_t writeCallback(struct archive* archive, void* client, const void* buffer,
                                  size_t length) {
    try {
      static_cast<HashingFile*>(client)->write(static_cast<const char*>(buffer), length);
      return static_cast<la_ssize_t>(length);
    } catch (const std::exception& e) {
      archive_set_error(archive, EIO, "%s", e.what());
      return -1;
    }
  }

  void header(const std::string& path, unsigned type, unsigned mode, std::int64_t size) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, path.c_str());
    archive_entry_set_filetype(entry, type);
    archive_entry_set_perm(entry, mode);
    archive_entry_set_size(entry, size);
    archive_entry_set_mtime(entry, static_cast<time_t>(mtime_), 0);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    const int status = archive_write_header(archive_, entry);
    archive_entry_free(entry);
    if (status != ARCHIVE_OK) fail();
  }

  [[noreturn]] void fail() {
    const char* message = archive_error_string(archive_);
    throw std::runtime_error(message ? message : "libarchive error");
  }

  locale_t utf8_;
  locale_t previous_;
  struct archive* archive_;
  std::int64_t mtime_;
};

// libarchive's default block: a tar ends padded with zeros to a multiple of it.
constexpr std::int64_t kTarBlock = 10240;

// Thrown when the progress callback asks to stop.
struct Cancelled {};

std::string utcDate(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

}  // namespace

std::string manifestPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%')
      out += "%25";
    else if (c == '\n')
      out += "%0A";
    else if (c == '\r')
      out += "%0D";
    else
      out += c;
  }
  return out;
}

BagWriter::BagWriter(std::string bagName, std::int64_t mtime)
    : bagName_(std::move(bagName)), mtime_(mtime) {}

void BagWriter::addBytes(std::string pathInData, std::string bytes) {
  payload_.push_back({std::move(pathInData), std::move(bytes), "", ""});
}

void BagWriter::addFile(std::string pathInData, std::string sourcePath,
                        std::string recordedSha256) {
  payload_.push_back({std::move(pathInData), "", std::move(sourcePath), std::move(recordedSha256)});
}

void BagWriter::addTagFile(std::string name, std::string bytes) {
  tagFiles_.emplace_back(std::move(name), std::move(bytes));
}

void BagWriter::addInfo(std::string label, std::string value) {
  info_.emplace_back(std::move(label), std::move(value));
}

std::int64_t BagWriter::payloadBytes() const {
  std::int64_t total = 0;
  for (const auto& item : payload_) {
    if (item.source.empty()) {
      total += static_cast<std::int64_t>(item.bytes.size());
    } else {
      std::ifstream in(item.source, std::ios::binary | std::ios::ate);
      if (in) total += static_cast<std::int64_t>(in.tellg());
    }
  }
  return total;
}

namespace {

bool isTagFileName(const std::string& name) {
  return isSafeName(name) && name != "bagit.txt" && name != "bag-info.txt" &&
         !name.starts_with("manifest-") && !name.starts_with("tagmanifest-");
}

core::Status tagFilesProblem(const BagWriter::TagFiles& tagFiles) {
  for (const auto& [name, bytes] : tagFiles) {
    if (!isTagFileName(name)) {
      return Error::make(ErrorCode::kInvalidArgument, "invalid_tag_file",
                         "标签文件名无效 (invalid tag file name): " + name);
    }
  }
  return core::okStatus();
}

}  // namespace

core::Result<BagWriter::Written> BagWriter::writeTo(const std::string& tarPath,
                                                    bool durable) const {
  return writeTo(tarPath, durable, nullptr);
}

core::Result<BagWriter::Written> BagWriter::writeTo(const std::string& tarPath, bool durable,
                                                    const Check& check) const {
  if (!isSafeName(bagName_)) {
    return Error::make(ErrorCode::kInvalidArgument, "invalid_bag_name",
                       "包名须为 ASCII 字母、数字或 - _ . (bag name)");
  }
  std::vector<const Payload*> ordered;
  std::set<std::string> seen;
  for (const auto& item : payload_) {
    if (!isSafePath(item.path)) {
      return Error::make(ErrorCode::kInvalidArgument, "invalid_path",
                         "包内路径无效 (invalid path in bag): " + item.path);
    }
    const bool hexDigest =
        item.sha256.size() == 64 && std::all_of(item.sha256.begin(), item.sha256.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
    if (!item.sha256.empty() && !hexDigest) {
      return Error::make(ErrorCode::kInvalidArgument, "invalid_digest",
                         "记录的 SHA-256 无效 (invalid recorded SHA-256): " + item.path);
    }
    if (!seen.insert(item.path).second) {
      return Error::make(ErrorCode::kInvalidArgument, "duplicate_path",
                         "包内路径重复 (duplicate path in bag): " + item.path);
    }
    ordered.push_back(&item);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Payload* a, const Payload* b) { return a->path < b->path; });
  for (const auto& [label, value] : info_) {
    if (label.empty() || label.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      return Error::make(ErrorCode::kInvalidArgument, "invalid_bag_info",
                         "bag-info 字段无效 (invalid bag-info field): " + label);
    }
  }
  if (auto problem = tagFilesProblem(tagFiles_); !problem.ok()) return problem.error();
  const std::string root = bagName_ + "/";
  // Everything after the payload: bagit.txt, bag-info.txt, the manifests and the tag files in
  // name order, the tag manifest over them, the signatures; then the tar's end.
  std::map<std::string, std::string> tags = {
      {"bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"}};
  const auto writeTail = [&](TarOut& tar, const TagFiles& extra) {
    std::map<std::string, std::string> all = tags;
    all.insert(tagFiles_.begin(), tagFiles_.end());
    all.insert(extra.begin(), extra.end());
    std::string tagManifest;
    for (const auto& [name, text] : all) {
      tar.file(root + name, static_cast<std::int64_t>(text.size()));
      tar.data(text.data(), text.size());
      tagManifest += core::sha256Hex(text) + "  " + name + "\n";
    }
    tar.file(root + "tagmanifest-sha256.txt", static_cast<std::int64_t>(tagManifest.size()));
    tar.data(tagManifest.data(), tagManifest.size());
    if (signer_ != nullptr || sm2Signer_ != nullptr) tar.directory(root + "signatures/");
    const auto addSignatureFile = [&](const std::string& name, const std::string& bytes) {
      tar.file(root + "signatures/" + name, static_cast<std::int64_t>(bytes.size()));
      tar.data(bytes.data(), bytes.size());
    };
    if (signer_ != nullptr) {
      // Ed25519 signatures are deterministic, so a signed bag is reproducible too.
      addSignatureFile("ed25519-public.pem", core::ed25519PublicKeyPem(signer_->publicKey()));
      addSignatureFile("tagmanifest-sha256.txt.ed25519.sig", signer_->sign(tagManifest));
    }
    if (sm2Signer_ != nullptr) {
      auto signature = sm2Signer_->sign(tagManifest);
      if (!signature.ok()) throw std::runtime_error(signature.error().message);
      addSignatureFile("sm2-public.pem", sm2Signer_->publicKeyPem());
      addSignatureFile("tagmanifest-sha256.txt.sm2.sig", signature.value());
    }
    tar.close();
  };
  try {
    HashingFile out(tarPath, durable);
    HashingFile::Mark payloadEnd;
    // Declared after the file, so that when writing stops early the check is told the tar's end
    // and joined before the file goes.
    std::optional<StreamedCheck> streamed;
    if (check) {
      streamed.emplace(check);
      out.teeTo(streamed->fd());
    }
    std::int64_t octets = 0;  // of payload written
    {
      // Each file's digests, filled in by the digest threads as they get to its end. Declared
      // before the digests, so that when writing stops early (cancelled, a read or write fails)
      // the digest threads drain into strings that still exist.
      std::vector<std::string> sums256(ordered.size()), sums512(ordered.size());
      AsyncDigest sha256(EVP_sha256()), sha512(EVP_sha512());
      TarOut tar(out, mtime_);
      tar.directory(root);
      tar.directory(root + "data/");
      std::set<std::string> directories;
      bool recorded = false;  // the current file's SHA-256 is known: SHA-512 only
      const auto hash = [&](const char* data, std::size_t size) {
        if (!recorded) sha256.update(data, size);
        sha512.update(data, size);
      };
      std::vector<char> buffer(kChunk);
      for (std::size_t i = 0; i < ordered.size(); ++i) {
        const Payload* item = ordered[i];
        // Parent folders first, each once, in path order.
        for (std::size_t slash = item->path.find('/'); slash != std::string::npos;
             slash = item->path.find('/', slash + 1)) {
          const std::string folder = item->path.substr(0, slash + 1);
          if (directories.insert(folder).second) tar.directory(root + "data/" + folder);
        }
        recorded = !item->sha256.empty();
        if (recorded) sums256[i] = item->sha256;
        if (item->source.empty()) {
          tar.file(root + "data/" + item->path, static_cast<std::int64_t>(item->bytes.size()));
          tar.data(item->bytes.data(), item->bytes.size());
          hash(item->bytes.data(), item->bytes.size());
          octets += static_cast<std::int64_t>(item->bytes.size());
          if (progress_ && !progress_(octets)) throw Cancelled{};
        } else {
          std::ifstream in(item->source, std::ios::binary | std::ios::ate);
          if (!in) throw std::runtime_error("cannot read " + item->source);
          const std::int64_t size = in.tellg();
          in.seekg(0);
          tar.file(root + "data/" + item->path, size);
          std::int64_t left = size;
          while (left > 0) {
            in.read(buffer.data(),
                    static_cast<std::streamsize>(std::min<std::int64_t>(left, kChunk)));
            const auto got = in.gcount();
            if (got <= 0) throw std::runtime_error("short read of " + item->source);
            tar.data(buffer.data(), static_cast<std::size_t>(got));
            hash(buffer.data(), static_cast<std::size_t>(got));
            left -= got;
            if (progress_ && !progress_(octets + size - left)) throw Cancelled{};
          }
          octets += size;
        }
        if (!recorded) sha256.finishInto(&sums256[i]);
        sha512.finishInto(&sums512[i]);
      }
      sha256.wait();
      sha512.wait();
      std::string manifest256, manifest512;
      for (std::size_t i = 0; i < ordered.size(); ++i) {
        manifest256 += sums256[i] + "  data/" + manifestPath(ordered[i]->path) + "\n";
        manifest512 += sums512[i] + "  data/" + manifestPath(ordered[i]->path) + "\n";
      }
      std::string bagInfo = "Bagging-Date: " + utcDate(mtime_) + "\n" +
                            "Payload-Oxum: " + std::to_string(octets) + "." +
                            std::to_string(ordered.size()) + "\n";
      for (const auto& [label, value] : info_) bagInfo += label + ": " + value + "\n";
      tags.emplace("bag-info.txt", std::move(bagInfo));
      tags.emplace("manifest-sha256.txt", std::move(manifest256));
      tags.emplace("manifest-sha512.txt", std::move(manifest512));
      tar.endEntry();
      if (check) payloadEnd = out.mark();
      writeTail(tar, {});
    }
    out.padTo(kTarBlock);
    if (check) {
      out.stopTee();
      auto extra = streamed->result();
      // A job cancelled while its check ran stops here (progress is called on this thread only).
      if (progress_ && !progress_(octets)) throw Cancelled{};
      if (!extra.ok()) {
        std::remove(tarPath.c_str());
        return extra.error();
      }
      if (auto problem = tagFilesProblem(extra.value()); !problem.ok()) {
        std::remove(tarPath.c_str());
        return problem.error();
      }
      out.rewind(payloadEnd);
      TarOut tar(out, mtime_);
      writeTail(tar, extra.value());
      out.padTo(kTarBlock);
    }
    return out.finish();
  } catch (const Cancelled&) {
    std::remove(tarPath.c_str());
    return Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
  } catch (const std::exception& e) {
    std::remove(tarPath.c_str());
    return Error::make(ErrorCode::kIo, "bag_write_failed",
                       std::string("归档包写入失败 (cannot write bag): ") + e.what());
  }
}

}  // namespace gongkai::archive
