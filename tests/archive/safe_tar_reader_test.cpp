#include "gongkai/archive/safe_tar_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <locale.h>
#include <unistd.h>

#include <clocale>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gongkai/archive/bag_writer.h"
#include "support/temp_dir.h"

namespace gongkai::archive {
namespace {

using testing::readFile;
using testing::TempDir;
using testing::writeFile;

// Writes test tars with libarchive's own writer, hostile ones included.
class TarBuilder {
 public:
  enum class Names { kUtf8, kRawBytes };

  // kUtf8 writes names as UTF-8 pax paths (as the bag writer does); kRawBytes writes them in the
  // C locale, where libarchive cannot convert them and stores the bytes as they are.
  explicit TarBuilder(const std::string& path, Names names = Names::kUtf8, bool gzip = false)
      : locale_(newlocale(LC_CTYPE_MASK, names == Names::kUtf8 ? "C.UTF-8" : "C", locale_t{})),
        previous_(uselocale(locale_)),
        archive_(archive_write_new()) {
    archive_write_set_format_pax_restricted(archive_);
    if (gzip) check(archive_write_add_filter_gzip(archive_), "gzip");
    check(archive_write_open_filename(archive_, path.c_str()), "open");
  }
  ~TarBuilder() {
    archive_write_free(archive_);
    uselocale(previous_);
    freelocale(locale_);
  }

  TarBuilder& folder(const std::string& path) { return add(path, AE_IFDIR, ""); }
  TarBuilder& file(const std::string& path, const std::string& data = "x") {
    return add(path, AE_IFREG, data);
  }
  TarBuilder& symlink(const std::string& path, const std::string& target) {
    return add(path, AE_IFLNK, "",
               [&](archive_entry* e) { archive_entry_set_symlink(e, target.c_str()); });
  }
  TarBuilder& hardlink(const std::string& path, const std::string& target) {
    return add(path, AE_IFREG, "",
               [&](archive_entry* e) { archive_entry_set_hardlink(e, target.c_str()); });
  }
  TarBuilder& special(const std::string& path, unsigned type) {
    return add(path, type, "", [](archive_entry* e) { archive_entry_set_rdev(e, 0x0501); });
  }
  // A header declaring `declared` bytes whatever `data` holds (libarchive pads with zeros).
  TarBuilder& add(const std::string& path, unsigned type, const std::string& data,
                  const std::function<void(archive_entry*)>& extra = {},
                  std::int64_t declared = -1) {
    archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, path.c_str());
    archive_entry_set_filetype(entry, type);
    archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_size(entry,
                           declared >= 0 ? declared : static_cast<std::int64_t>(data.size()));
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (extra) extra(entry);
    const int status = archive_write_header(archive_, entry);
    archive_entry_free(entry);
    check(status, "header " + path);
    if (!data.empty() && archive_write_data(archive_, data.data(), data.size()) < 0) {
      check(ARCHIVE_FATAL, "data " + path);
    }
    return *this;
  }
  void close() { check(archive_write_close(archive_), "close"); }

 private:
  void check(int status, const std::string& what) {
    // A warning is how libarchive says it stored a name it could not convert: wanted here.
    if (status < ARCHIVE_WARN) {
      const char* message = archive_error_string(archive_);
      throw std::runtime_error(what + ": " + (message ? message : "?"));
    }
  }
  locale_t locale_;
  locale_t previous_;
  struct archive* archive_;
};

struct ReadBack {
  std::vector<TarEntry> entries;
  std::vector<std::string> data;
  std::optional<core::Error> error;
  std::string root;
};

// The file's bytes given through a pipe by a thread of their own (closing it at their end), as
// the bag writer gives a tar to its check; the reader reads them with openStream.
class PipedFile {
 public:
  explicit PipedFile(const std::string& path) : bytes_(readFile(path)) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_ = fds[0];
    write_ = fds[1];
    writer_ = std::thread([this] {
      for (std::size_t at = 0; at < bytes_.size();) {
        const ssize_t done = ::write(write_, bytes_.data() + at, bytes_.size() - at);
        if (done <= 0) break;
        at += static_cast<std::size_t>(done);
      }
      ::close(write_);
    });
  }
  ~PipedFile() {
    char sink[4096];
    while (::read(read_, sink, sizeof sink) > 0) {
    }
    writer_.join();
    ::close(read_);
  }
  int fd() const { return read_; }

 private:
  std::string bytes_;
  int read_ = -1, write_ = -1;
  std::thread writer_;
};

ReadBack readAll(const std::string& path, TarLimits limits = {}, std::size_t chunk = 4096,
                 bool piped = false) {
  ReadBack out;
  std::optional<PipedFile> pipe;
  if (piped) pipe.emplace(path);
  SafeTarReader reader(limits);
  const auto opened = piped ? reader.openStream(pipe->fd(), path) : reader.open(path);
  if (!opened.ok()) {
    out.error = opened.error();
    EXPECT_TRUE(reader.error());
    return out;
  }
  TarEntry entry;
  std::vector<char> buffer(chunk);
  while (reader.next(entry)) {
    std::string bytes;
    std::int64_t got;
    while ((got = reader.read(buffer.data(), buffer.size())) > 0) bytes.append(buffer.data(), got);
    out.entries.push_back(entry);
    out.data.push_back(bytes);
    if (got < 0) break;
  }
  out.error = reader.error();
  out.root = reader.root();
  return out;
}

// Reads the tar, from its file and through a pipe, and expects a refusal with `reason` whose
// message names `shown` (Chinese first).
void expectRefused(const std::string& path, const std::string& reason, const std::string& shown,
                   TarLimits limits = {}) {
  for (const bool piped : {false, true}) {
    SCOPED_TRACE(piped ? "through a pipe" : "from the file");
    const ReadBack back = readAll(path, limits, 4096, piped);
    ASSERT_TRUE(back.error) << "accepted; expected " << reason;
    EXPECT_EQ(back.error->reason, reason) << back.error->message;
    EXPECT_EQ(back.error->code, reason == "corrupt_tar" ? core::ErrorCode::kMalformed
                                                        : core::ErrorCode::kInvalidArgument);
    EXPECT_NE(back.error->message.find(shown), std::string::npos) << back.error->message;
    ASSERT_FALSE(back.error->message.empty());
    EXPECT_GE(static_cast<unsigned char>(back.error->message[0]), 0x80) << back.error->message;
  }
}

class SafeTarReaderTest : public ::testing::Test {
 protected:
  std::string tar(const std::string& name) const { return dir_ / name; }
  TempDir dir_;
};

TEST_F(SafeTarReaderTest, ReadsABagLikeTarExactlyInTheCLocale) {
  ASSERT_NE(std::setlocale(LC_ALL, "C"), nullptr);
  const locale_t before = uselocale(locale_t{});
  std::string big(300'000, '\0');
  std::mt19937 random(7);
  for (char& c : big) c = static_cast<char>(random());
  {
    TarBuilder b(tar("bag.tar"));
    b.folder("J001-2023-ZZ/")
        .file("J001-2023-ZZ/bagit.txt", "BagIt-Version: 1.0\n")
        .folder("J001-2023-ZZ/data/")
        .file("J001-2023-ZZ/data/党费收缴登记表.pdf", big)
        .file("J001-2023-ZZ/data/empty.txt", "")
        .file("J001-2023-ZZ/data/items/J001-2023-Y-ZZ-0001/metadata.json",
              R"({"title":"换届选举结果"})");
    b.close();
  }
  const ReadBack back = readAll(tar("bag.tar"), {}, 1000);
  ASSERT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.root, "J001-2023-ZZ");
  ASSERT_EQ(back.entries.size(), 6u);
  const std::vector<std::string> paths = {
      "J001-2023-ZZ",
      "J001-2023-ZZ/bagit.txt",
      "J001-2023-ZZ/data",
      "J001-2023-ZZ/data/党费收缴登记表.pdf",
      "J001-2023-ZZ/data/empty.txt",
      "J001-2023-ZZ/data/items/J001-2023-Y-ZZ-0001/metadata.json"};
  for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(back.entries[i].path, paths[i]);
  EXPECT_TRUE(back.entries[0].directory);
  EXPECT_TRUE(back.entries[2].directory);
  EXPECT_FALSE(back.entries[3].directory);
  EXPECT_EQ(back.entries[3].size, static_cast<std::int64_t>(big.size()));
  EXPECT_TRUE(back.data[3] == big);
  EXPECT_EQ(back.data[1], "BagIt-Version: 1.0\n");
  EXPECT_EQ(back.entries[4].size, 0);
  EXPECT_EQ(back.data[4], "");
  EXPECT_EQ(back.data[5], R"({"title":"换届选举结果"})");
  // The reader put the thread's locale back.
  EXPECT_EQ(uselocale(locale_t{}), before);
}

TEST_F(SafeTarReaderTest, ReadsWhatTheBagWriterWrites) {
  BagWriter bag("J001-2023-ZZ", 1700000000);
  bag.addBytes("items/J001-2023-Y-ZZ-0001/files/党费收缴登记表.pdf", std::string(5000, 'p'));
  bag.addBytes("index.csv", "档号,题名\n");
  ASSERT_TRUE(bag.writeTo(tar("bag.tar")).ok());
  const ReadBack back = readAll(tar("bag.tar"));
  ASSERT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.root, "J001-2023-ZZ");
  const ReadBack piped = readAll(tar("bag.tar"), {}, 4096, /*piped=*/true);
  ASSERT_FALSE(piped.error) << piped.error->message;
  EXPECT_EQ(piped.data, back.data);
  bool found = false;
  for (std::size_t i = 0; i < back.entries.size(); ++i) {
    if (back.entries[i].path ==
        "J001-2023-ZZ/data/items/J001-2023-Y-ZZ-0001/files/党费收缴登记表.pdf") {
      found = true;
      EXPECT_EQ(back.data[i], std::string(5000, 'p'));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SafeTarReaderTest, SkipsUnreadDataAndStopsAtTheEnd) {
  {
    TarBuilder b(tar("t.tar"));
    b.folder("r/").file("r/a", std::string(10'000, 'a')).file("r/b", "bee");
    b.close();
  }
  SafeTarReader reader;
  ASSERT_TRUE(reader.open(tar("t.tar")).ok());
  char buffer[16];
  EXPECT_EQ(reader.read(buffer, sizeof buffer), 0);  // no entry yet
  TarEntry entry;
  ASSERT_TRUE(reader.next(entry));
  EXPECT_EQ(reader.read(buffer, sizeof buffer), 0);  // a folder has no data
  ASSERT_TRUE(reader.next(entry));
  EXPECT_EQ(entry.path, "r/a");
  EXPECT_EQ(reader.read(buffer, 5), 5);
  ASSERT_TRUE(reader.next(entry));  // the rest of r/a is skipped
  EXPECT_EQ(entry.path, "r/b");
  ASSERT_EQ(reader.read(buffer, sizeof buffer), 3);
  EXPECT_EQ(std::string(buffer, 3), "bee");
  EXPECT_EQ(reader.read(buffer, sizeof buffer), 0);
  EXPECT_FALSE(reader.next(entry));
  EXPECT_FALSE(reader.error());
  EXPECT_FALSE(reader.next(entry));
}

TEST_F(SafeTarReaderTest, RefusesUnsafePaths) {
  const auto refused = [&](const std::string& name, const std::string& path,
                           const std::string& reason, const std::string& shown) {
    SCOPED_TRACE(name);
    {
      TarBuilder b(tar(name));
      b.folder("root/").file("root/ok").file(path);
      b.close();
    }
    expectRefused(tar(name), reason, shown);
  };
  refused("absolute.tar", "/etc/passwd", "absolute_path", "/etc/passwd");
  refused("parent1.tar", "root/../x", "parent_path", "root/../x");
  refused("parent2.tar", "root/a/../../x", "parent_path", "root/a/../../x");
  refused("parent3.tar", "..", "parent_path", "..");
  refused("dot.tar", "root/./x", "invalid_path", "root/./x");
  refused("empty-segment.tar", "root//x", "invalid_path", "root//x");
  refused("backslash.tar", "root/a\\..\\x", "invalid_path", "root/a\\..\\x");
  refused("control.tar", "root/a\x01x", "invalid_path", "root/a\\x01x");
  refused("newline.tar", "root/a\nx", "invalid_path", "root/a\\x0Ax");
}

TEST_F(SafeTarReaderTest, RefusesLinksAndSpecialFiles) {
  const auto refused = [&](const std::string& name, const std::function<void(TarBuilder&)>& add,
                           const std::string& reason) {
    SCOPED_TRACE(name);
    {
      TarBuilder b(tar(name));
      b.folder("root/").file("root/target", "secret");
      add(b);
      b.close();
    }
    expectRefused(tar(name), reason, "root/odd");
  };
  refused(
      "symlink.tar", [](TarBuilder& b) { b.symlink("root/odd", "/etc/passwd"); }, "link_entry");
  refused(
      "relative-symlink.tar", [](TarBuilder& b) { b.symlink("root/odd", "target"); }, "link_entry");
  refused(
      "hardlink.tar", [](TarBuilder& b) { b.hardlink("root/odd", "root/target"); }, "link_entry");
  refused(
      "chardev.tar", [](TarBuilder& b) { b.special("root/odd", AE_IFCHR); }, "special_entry");
  refused(
      "blockdev.tar", [](TarBuilder& b) { b.special("root/odd", AE_IFBLK); }, "special_entry");
  refused(
      "fifo.tar", [](TarBuilder& b) { b.special("root/odd", AE_IFIFO); }, "special_entry");
  refused(
      "sparse.tar",
      [](TarBuilder& b) {
        b.add(
            "root/odd", AE_IFREG, std::string(1024, 's'),
            [](archive_entry* e) {
              archive_entry_sparse_add_entry(e, 0, 512);
              archive_entry_sparse_add_entry(e, 8192, 512);
            },
            8704);
      },
      "special_entry");
}

TEST_F(SafeTarReaderTest, RefusesDuplicatesAndFileFolderClashes) {
  const auto refused = [&](const std::string& name, const std::function<void(TarBuilder&)>& add,
                           const std::string& shown = "root/a") {
    SCOPED_TRACE(name);
    {
      TarBuilder b(tar(name));
      b.folder("root/");
      add(b);
      b.close();
    }
    expectRefused(tar(name), "duplicate_entry", shown);
  };
  refused("file-twice.tar", [](TarBuilder& b) { b.file("root/a", "1").file("root/a", "2"); });
  refused("folder-twice.tar", [](TarBuilder& b) { b.folder("root/a/").folder("root/a/"); });
  refused("file-then-folder.tar", [](TarBuilder& b) { b.file("root/a").folder("root/a/"); });
  refused("folder-then-file.tar", [](TarBuilder& b) { b.folder("root/a/").file("root/a"); });
  refused("file-then-child.tar", [](TarBuilder& b) { b.file("root/a").file("root/a/b"); });
  refused("child-then-file.tar", [](TarBuilder& b) { b.file("root/a/b").file("root/a"); });
  refused(
      "root-twice.tar", [](TarBuilder& b) { b.file("root/a").folder("root/"); }, "root");

  // A folder listed after a file inside it is not a duplicate.
  {
    TarBuilder b(tar("late-folder.tar"));
    b.folder("root/").file("root/a/b").folder("root/a/");
    b.close();
  }
  const ReadBack back = readAll(tar("late-folder.tar"));
  EXPECT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.entries.size(), 3u);
}

TEST_F(SafeTarReaderTest, RefusesMoreThanOneTopLevelFolder) {
  {
    TarBuilder b(tar("two.tar"));
    b.folder("root/").file("root/a").file("other/b");
    b.close();
  }
  expectRefused(tar("two.tar"), "multiple_roots", "other/b");
  {
    TarBuilder b(tar("top-file.tar"));
    b.file("README");
    b.close();
  }
  expectRefused(tar("top-file.tar"), "multiple_roots", "README");
  {
    TarBuilder b(tar("late-file.tar"));
    b.file("root/a").file("rootx");
    b.close();
  }
  expectRefused(tar("late-file.tar"), "multiple_roots", "rootx");
  // Without an entry for the folder itself, the first path still sets the root.
  {
    TarBuilder b(tar("implied.tar"));
    b.file("root/a").file("root/b/c");
    b.close();
  }
  const ReadBack back = readAll(tar("implied.tar"));
  EXPECT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.root, "root");
}

TEST_F(SafeTarReaderTest, EnforcesTheLimits) {
  {
    TarBuilder b(tar("t.tar"));
    b.folder("root/").file("root/a", std::string(100, 'a')).file("root/b", std::string(100, 'b'));
    b.close();
  }
  EXPECT_FALSE(readAll(tar("t.tar"), {3, 100, 200, 4096}).error);
  expectRefused(tar("t.tar"), "too_many_entries", "root/b", {2, 100, 200, 4096});
  expectRefused(tar("t.tar"), "entry_too_large", "root/a", {3, 99, 200, 4096});
  expectRefused(tar("t.tar"), "bundle_too_large", "root/b", {3, 100, 199, 4096});
  expectRefused(tar("t.tar"), "invalid_path", "root/a", {3, 100, 200, 5});

  // The size in the header is refused before any data is read, however big it claims to be. The
  // writer would pad a petabyte of zeros, so it writes into a small buffer and stops when full.
  std::string buffer(64 * 1024, '\0');
  std::size_t used = 0;
  struct archive* writer = archive_write_new();
  archive_write_set_format_pax_restricted(writer);
  ASSERT_EQ(archive_write_open_memory(writer, buffer.data(), buffer.size(), &used), ARCHIVE_OK);
  archive_entry* entry = archive_entry_new();
  archive_entry_copy_pathname(entry, "root/huge");
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, std::int64_t{1} << 50);
  ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
  archive_entry_free(entry);
  archive_write_free(writer);  // fails once the buffer is full
  ASSERT_GT(used, 0u);
  writeFile(tar("huge.tar"), buffer.substr(0, used));
  expectRefused(tar("huge.tar"), "entry_too_large", "root/huge");
}

TEST_F(SafeTarReaderTest, LimitsPathLength) {
  std::string longPath = "root";
  while (longPath.size() < 5000) longPath += "/" + std::string(99, 'd');
  std::string okPath = longPath.substr(0, 4000);
  if (okPath.back() == '/') okPath.pop_back();
  {
    TarBuilder b(tar("long.tar"));
    b.folder("root/").file(longPath);
    b.close();
  }
  expectRefused(tar("long.tar"), "invalid_path", "root/ddd");
  {
    TarBuilder b(tar("ok.tar"));
    b.folder("root/").file(okPath, "fine");
    b.close();
  }
  const ReadBack back = readAll(tar("ok.tar"));
  ASSERT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.entries.at(1).path, okPath);
  EXPECT_EQ(back.data.at(1), "fine");
}

// Every prefix of a path is remembered, so depth is bounded: absurdly deep paths are refused
// before they cost memory of their length times their depth.
TEST_F(SafeTarReaderTest, LimitsPathDepth) {
  std::string deep = "root";
  for (int i = 0; i < 64; ++i) deep += "/a";
  {
    TarBuilder b(tar("deep.tar"));
    b.folder("root/").file(deep);
    b.close();
  }
  expectRefused(tar("deep.tar"), "invalid_path", "root/a/a");
  const std::string ok = deep.substr(0, deep.size() - 2);  // 64 segments
  {
    TarBuilder b(tar("ok-depth.tar"));
    b.folder("root/").file(ok, "fine");
    b.close();
  }
  EXPECT_FALSE(readAll(tar("ok-depth.tar")).error);
}

TEST_F(SafeTarReaderTest, RefusesNamesThatAreNotUtf8) {
  {
    TarBuilder b(tar("latin1.tar"), TarBuilder::Names::kRawBytes);
    b.folder("root/").file("root/caf\xe9.txt");
    b.close();
  }
  expectRefused(tar("latin1.tar"), "invalid_path", "root/caf\\xE9.txt");
  {
    // GBK for 党费: a Chinese name from a system not using UTF-8.
    TarBuilder b(tar("gbk.tar"), TarBuilder::Names::kRawBytes);
    b.folder("root/").file("root/\xb5\xb3\xb7\xd1.pdf");
    b.close();
  }
  expectRefused(tar("gbk.tar"), "invalid_path", "root/");
  {
    // Valid UTF-8 written as raw bytes reads back as the same UTF-8.
    TarBuilder b(tar("raw-utf8.tar"), TarBuilder::Names::kRawBytes);
    b.folder("root/").file("root/党费.pdf", "ok");
    b.close();
  }
  const ReadBack back = readAll(tar("raw-utf8.tar"));
  ASSERT_FALSE(back.error) << back.error->message;
  EXPECT_EQ(back.entries.at(1).path, "root/党费.pdf");
}

TEST_F(SafeTarReaderTest, RefusesTruncatedTarsWithoutCrashing) {
  const std::string big(50'000, 'b');
  {
    TarBuilder b(tar("full.tar"));
    b.folder("root/").file("root/a", "small").file("root/big", big).file("root/z", "last");
    b.close();
  }
  const std::string full = readFile(tar("full.tar"));
  // Cut in the middle of root/big's data.
  writeFile(tar("cut.tar"), full.substr(0, full.find(std::string(100, 'b')) + 20'000));
  const ReadBack back = readAll(tar("cut.tar"));
  ASSERT_TRUE(back.error);
  EXPECT_EQ(back.error->reason, "corrupt_tar") << back.error->message;
  EXPECT_EQ(back.error->code, core::ErrorCode::kMalformed);
  EXPECT_NE(back.error->message.find("root/big"), std::string::npos) << back.error->message;

  // Any cut: a refusal, or entries whose data is complete. (A cut exactly between two entries
  // looks like a shorter tar; the bundle's manifests catch that.) Read through a pipe, the same.
  for (std::size_t length = 0; length < full.size(); length += 97) {
    SCOPED_TRACE(length);
    writeFile(tar("cut.tar"), full.substr(0, length));
    const ReadBack cut = readAll(tar("cut.tar"));
    const ReadBack piped = readAll(tar("cut.tar"), {}, 4096, /*piped=*/true);
    EXPECT_EQ(piped.entries.size(), cut.entries.size());
    EXPECT_EQ(piped.data, cut.data);
    EXPECT_EQ(piped.error.has_value(), cut.error.has_value());
    if (cut.error) {
      EXPECT_EQ(cut.error->reason, "corrupt_tar");
      if (piped.error) {
        EXPECT_EQ(piped.error->reason, "corrupt_tar");
      }
      continue;
    }
    for (std::size_t i = 0; i < cut.entries.size(); ++i) {
      EXPECT_EQ(static_cast<std::int64_t>(cut.data[i].size()), cut.entries[i].size);
    }
  }
}

TEST_F(SafeTarReaderTest, RefusesWhatIsNotAPlainTar) {
  writeFile(tar("empty.tar"), "");
  expectRefused(tar("empty.tar"), "corrupt_tar", "");

  std::string garbage(20'000, '\0');
  std::mt19937 random(42);
  for (char& c : garbage) c = static_cast<char>(random());
  writeFile(tar("garbage.tar"), garbage);
  expectRefused(tar("garbage.tar"), "corrupt_tar", "");
  writeFile(tar("zeros.tar"), std::string(10'240, '\0'));  // a valid tar with no entries
  expectRefused(tar("zeros.tar"), "corrupt_tar", "");

  {
    TarBuilder b(tar("bag.tar.gz"), TarBuilder::Names::kUtf8, /*gzip=*/true);
    b.folder("root/").file("root/a", "data");
    b.close();
  }
  expectRefused(tar("bag.tar.gz"), "compressed", "bag.tar.gz");
  // The other compressors, by their signatures.
  for (const std::string& magic :
       {std::string("BZh91AY&SY"), std::string("\xFD\x37\x7A\x58\x5A\x00", 6),
        std::string("\x28\xB5\x2F\xFD"), std::string("LZIP\x01")}) {
    writeFile(tar("packed"), magic + std::string(1000, '\0'));
    expectRefused(tar("packed"), "compressed", "packed");
  }
  // A tar whose folder happens to start like a signature is still a tar.
  {
    TarBuilder b(tar("BZh.tar"));
    b.folder("BZh9-bundle/").file("BZh9-bundle/a");
    b.close();
  }
  EXPECT_FALSE(readAll(tar("BZh.tar")).error);

  SafeTarReader missing;
  const auto opened = missing.open(tar("missing.tar"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::kIo);
  TarEntry entry;
  EXPECT_FALSE(missing.next(entry));
}

TEST_F(SafeTarReaderTest, GivesPaxNamesInNfc) {
  // As the header says: libarchive composes a decomposed pax name (e + U+0301 becomes U+00E9);
  // other names, U+F900 and U+212B among them, come back byte for byte.
  {
    TarBuilder b(tar("nfd.tar"));
    b.folder("root/").file("root/e\xcc\x81.txt").file("root/\xef\xa4\x80\xe2\x84\xab.txt");
    b.close();
  }
  ASSERT_NE(readFile(tar("nfd.tar")).find("root/e\xcc\x81.txt"), std::string::npos);
  const ReadBack back = readAll(tar("nfd.tar"));
  ASSERT_FALSE(back.error) << back.error->message;
  ASSERT_EQ(back.entries.size(), 3u);
  EXPECT_EQ(back.entries[1].path, "root/\xc3\xa9.txt");
  EXPECT_EQ(back.entries[2].path, "root/\xef\xa4\x80\xe2\x84\xab.txt");
}

TEST_F(SafeTarReaderTest, ARefusalIsFinal) {
  {
    TarBuilder b(tar("t.tar"));
    b.folder("root/").file("root/../evil").file("root/fine");
    b.close();
  }
  SafeTarReader reader;
  ASSERT_TRUE(reader.open(tar("t.tar")).ok());
  TarEntry entry;
  ASSERT_TRUE(reader.next(entry));
  EXPECT_FALSE(reader.next(entry));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->reason, "parent_path");
  EXPECT_FALSE(reader.next(entry));
  char buffer[8];
  EXPECT_EQ(reader.read(buffer, sizeof buffer), -1);
  EXPECT_EQ(reader.error()->reason, "parent_path");
}

}  // namespace
}  // namespace gongkai::archive
