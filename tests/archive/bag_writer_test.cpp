#include "gongkai/archive/bag_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "gongkai/core/sha256.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace gongkai::archive {
namespace {

using testing::readFile;
using testing::runCommand;
using testing::TempDir;
using testing::writeFile;

constexpr std::int64_t kMtime = 1700000000;  // 2023-11-14T22:13:20Z

// Everything a check's stream gives, to its end.
std::string readStream(int fd) {
  std::string bytes;
  char buffer[65536];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0) bytes.append(buffer, got);
  return bytes;
}

BagWriter sampleBag(const TempDir& dir) {
  writeFile(dir / "source.pdf", std::string(3 * 1024 * 1024 + 17, 'p'));  // several stream chunks
  BagWriter bag("J001-2023-ZZ", kMtime);
  bag.addBytes("J001-2023-Y-ZZ-0002/metadata.json", R"({"title":"党费收缴情况公示"})");
  bag.addFile("J001-2023-Y-ZZ-0001/files/党费收缴登记表.pdf", dir / "source.pdf");
  bag.addBytes("J001-2023-Y-ZZ-0001/metadata.json", R"({"title":"换届选举结果"})");
  bag.addBytes("index.csv", "档号,题名\n");
  bag.addInfo("Source-Organization", "中共连云港市妇幼保健院委员会");
  bag.addInfo("External-Identifier", "J001-2023-ZZ");
  return bag;
}

TEST(BagWriter, TheSameInputGivesTheSameBytes) {
  TempDir dir;
  ASSERT_TRUE(sampleBag(dir).writeTo(dir / "a.tar").ok());
  ASSERT_TRUE(sampleBag(dir).writeTo(dir / "b.tar").ok());
  EXPECT_EQ(core::sha256Hex(readFile(dir / "a.tar")), core::sha256Hex(readFile(dir / "b.tar")));
  // No owners, fixed times: the listing the stock tar gives shows root and the one date.
  std::string listing;
  ASSERT_EQ(runCommand({"tar", "--numeric-owner", "-tvf", dir / "a.tar"}, listing), 0) << listing;
  EXPECT_NE(listing.find("0/0"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("tar:"), std::string::npos) << listing;  // no warnings from GNU tar
  std::istringstream lines(listing);
  std::string line;
  int entries = 0;
  while (std::getline(lines, line)) {
    ++entries;
    EXPECT_NE(line.find("2023-11-14"), std::string::npos) << line;
    EXPECT_NE(line.find(" J001-2023-ZZ/"), std::string::npos) << line;  // one top-level folder
  }
  EXPECT_EQ(entries, 2 + 3 + 4 + 5);  // root and data/, 3 folders, 4 payload files, 5 tag files
}

TEST(BagWriter, ManifestsOxumAndTagManifestMatchWhatTarExtracts) {
  TempDir dir;
  ASSERT_TRUE(sampleBag(dir).writeTo(dir / "bag.tar").ok());
  std::filesystem::create_directories(dir / "out");
  std::string output;
  ASSERT_EQ(runCommand({"tar", "-xf", dir / "bag.tar", "-C", dir / "out"}, output), 0) << output;
  const std::string bag = dir / "out/J001-2023-ZZ";
  EXPECT_EQ(readFile(bag + "/bagit.txt"),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
  // Every manifest line names an extracted file with that hash, and every payload file is listed.
  std::int64_t octets = 0, count = 0;
  std::istringstream manifest(readFile(bag + "/manifest-sha256.txt"));
  std::string digest, path;
  while (manifest >> digest >> path) {
    EXPECT_EQ(core::sha256Hex(readFile(bag + "/" + path)), digest) << path;
    octets += static_cast<std::int64_t>(std::filesystem::file_size(bag + "/" + path));
    ++count;
  }
  EXPECT_EQ(count, 4);
  const std::string info = readFile(bag + "/bag-info.txt");
  EXPECT_NE(info.find("Payload-Oxum: " + std::to_string(octets) + ".4\n"), std::string::npos)
      << info;
  EXPECT_NE(info.find("Bagging-Date: 2023-11-14\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Source-Organization: 中共连云港市妇幼保健院委员会\n"), std::string::npos)
      << info;
  // SHA-512 manifest checked with the stock tool.
  ASSERT_EQ(runCommand({"sh", "-c", "cd '" + bag + "' && sha512sum -c --quiet manifest-sha512.txt"},
                       output),
            0)
      << output;
  // The tag manifest covers every tag file but itself.
  std::istringstream tags(readFile(bag + "/tagmanifest-sha256.txt"));
  int tagFiles = 0;
  while (tags >> digest >> path) {
    EXPECT_EQ(core::sha256Hex(readFile(bag + "/" + path)), digest) << path;
    EXPECT_NE(path, "tagmanifest-sha256.txt");
    ++tagFiles;
  }
  EXPECT_EQ(tagFiles, 4);
}

TEST(BagWriter, ASignedBagVerifiesWithTheStockOpensslAndAChangeIsCaught) {
  TempDir dir;
  auto signer = core::Ed25519Signer::generate();
  ASSERT_TRUE(signer.ok());
  BagWriter bag = sampleBag(dir);
  bag.signWith(signer.value());
  ASSERT_TRUE(bag.writeTo(dir / "signed.tar").ok());
  BagWriter again = sampleBag(dir);
  again.signWith(signer.value());
  ASSERT_TRUE(again.writeTo(dir / "again.tar").ok());
  EXPECT_EQ(readFile(dir / "signed.tar"), readFile(dir / "again.tar"));  // still reproducible
  std::filesystem::create_directories(dir / "out");
  std::string output;
  ASSERT_EQ(runCommand({"tar", "-xf", dir / "signed.tar", "-C", dir / "out"}, output), 0) << output;
  const std::string root = dir / "out/J001-2023-ZZ";
  const std::vector<std::string> verify = {"openssl",
                                           "pkeyutl",
                                           "-verify",
                                           "-pubin",
                                           "-inkey",
                                           root + "/signatures/ed25519-public.pem",
                                           "-rawin",
                                           "-in",
                                           root + "/tagmanifest-sha256.txt",
                                           "-sigfile",
                                           root + "/signatures/tagmanifest-sha256.txt.ed25519.sig"};
  ASSERT_EQ(runCommand(verify, output), 0) << output;
  EXPECT_NE(output.find("Signature Verified Successfully"), std::string::npos) << output;
  // The signatures folder is not in the tag manifest; a changed tag manifest fails.
  EXPECT_EQ(readFile(root + "/tagmanifest-sha256.txt").find("signatures"), std::string::npos);
  writeFile(root + "/tagmanifest-sha256.txt", readFile(root + "/tagmanifest-sha256.txt") + " ");
  EXPECT_NE(runCommand(verify, output), 0) << output;
}

TEST(BagWriter, AnSm2SignedBagVerifiesWithOpensslDgstSm3AndTheDistinguishingId) {
  TempDir dir;
  std::string output;
  ASSERT_EQ(
      runCommand({"openssl", "genpkey", "-algorithm", "SM2", "-out", dir / "sm2.pem"}, output), 0)
      << output;
  auto signer = Sm2Signer::fromPem(readFile(dir / "sm2.pem"));
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  BagWriter bag = sampleBag(dir);
  bag.signSm2With(signer.value());
  ASSERT_TRUE(bag.writeTo(dir / "sm2.tar").ok());
  std::filesystem::create_directories(dir / "out");
  ASSERT_EQ(runCommand({"tar", "-xf", dir / "sm2.tar", "-C", dir / "out"}, output), 0) << output;
  const std::string root = dir / "out/J001-2023-ZZ";
  const auto verify = [&](const std::string& distid) {
    return runCommand(
        {"openssl", "dgst", "-sm3", "-verify", root + "/signatures/sm2-public.pem", "-sigopt",
         "distid:" + distid, "-signature", root + "/signatures/tagmanifest-sha256.txt.sm2.sig",
         root + "/tagmanifest-sha256.txt"},
        output);
  };
  EXPECT_EQ(verify("1234567812345678"), 0) << output;
  EXPECT_NE(output.find("Verified OK"), std::string::npos) << output;
  EXPECT_NE(verify("0000000000000000"), 0) << output;  // the ID is part of what is signed
  // Not an SM2 key: refused with a clear error.
  auto ed = core::Ed25519Signer::generate();
  EXPECT_FALSE(Sm2Signer::fromPem(ed.value().privateKeyPem()).ok());
  EXPECT_FALSE(Sm2Signer::fromPem("garbage").ok());
}

TEST(BagWriter, HostilePathsAndUnreadableSourcesAreRefusedWithNothingLeft) {
  TempDir dir;
  for (const std::string path : {"../escape", "/absolute", "a//b", "a/./b", "a/../b", "trailing/",
                                 "", "tab\tname", "back\\slash"}) {
    BagWriter bag("bag", kMtime);
    bag.addBytes(path, "x");
    const auto written = bag.writeTo(dir / "x.tar");
    EXPECT_FALSE(written.ok()) << path;
    EXPECT_FALSE(std::filesystem::exists(dir / "x.tar")) << path;
  }
  BagWriter duplicate("bag", kMtime);
  duplicate.addBytes("a.txt", "1");
  duplicate.addBytes("a.txt", "2");
  EXPECT_EQ(duplicate.writeTo(dir / "x.tar").error().reason, "duplicate_path");
  EXPECT_EQ(BagWriter("../bag", kMtime).writeTo(dir / "x.tar").error().reason, "invalid_bag_name");
  BagWriter badInfo("bag", kMtime);
  badInfo.addInfo("Label", "two\nlines");
  EXPECT_EQ(badInfo.writeTo(dir / "x.tar").error().reason, "invalid_bag_info");
  BagWriter missing("bag", kMtime);
  missing.addFile("a.pdf", dir / "does-not-exist.pdf");
  EXPECT_EQ(missing.writeTo(dir / "x.tar").error().code, core::ErrorCode::kIo);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.tar"));
  EXPECT_EQ(manifestPath("100%\nx\r"), "100%25%0Ax%0D");
}

// A file given with its digest as recorded at filing is listed with that digest, unhashed: the
// same bag when the bytes still match it; when they do not, the stock tool finds the mismatch.
TEST(BagWriter, AFilesRecordedDigestGoesIntoTheManifestAsRecorded) {
  TempDir dir;
  const std::string bytes(2 * 1024 * 1024 + 5, 'r');
  writeFile(dir / "blob", bytes);
  const auto bagWith = [&](const std::string& recorded) {
    BagWriter bag = sampleBag(dir);
    bag.addFile("J001-2023-Y-ZZ-0003/files/登记表.pdf", dir / "blob", recorded);
    return bag;
  };
  ASSERT_TRUE(bagWith("").writeTo(dir / "hashed.tar").ok());
  ASSERT_TRUE(bagWith(core::sha256Hex(bytes)).writeTo(dir / "recorded.tar").ok());
  EXPECT_EQ(readFile(dir / "recorded.tar"), readFile(dir / "hashed.tar"));

  const std::string stale(64, 'a');
  ASSERT_TRUE(bagWith(stale).writeTo(dir / "stale.tar").ok());
  std::filesystem::create_directories(dir / "out");
  std::string output;
  ASSERT_EQ(runCommand({"tar", "-xf", dir / "stale.tar", "-C", dir / "out"}, output), 0) << output;
  const std::string bag = dir / "out/J001-2023-ZZ";
  EXPECT_NE(readFile(bag + "/manifest-sha256.txt").find(stale + "  data/J001-2023-Y-ZZ-0003/"),
            std::string::npos);
  EXPECT_NE(runCommand({"sh", "-c", "cd '" + bag + "' && sha256sum -c --quiet manifest-sha256.txt"},
                       output),
            0);
  EXPECT_NE(output.find("J001-2023-Y-ZZ-0003"), std::string::npos) << output;
  EXPECT_EQ(runCommand({"sh", "-c", "cd '" + bag + "' && sha512sum -c --quiet manifest-sha512.txt"},
                       output),
            0)
      << output;

  for (const std::string& bad : {std::string(63, 'a'), std::string(64, 'A'), stale + "\n"}) {
    const auto refused = bagWith(bad).writeTo(dir / "bad.tar");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().reason, "invalid_digest");
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.tar"));
  }
}

// A check of the written bag adds its tag files without the payload being written again: the
// check reads the whole signed bag without them as it is written, and the result is byte for
// byte the bag that had them from the start, with the digest of what is on disk.
TEST(BagWriter, ACheckAddsTagFilesToTheBagAsWrittenWithTheSameBytesAsFromTheStart) {
  TempDir dir;
  auto signer = core::Ed25519Signer::generate();
  ASSERT_TRUE(signer.ok());
  BagWriter checked = sampleBag(dir);
  checked.signWith(signer.value());
  BagWriter plain = sampleBag(dir);
  plain.signWith(signer.value());
  ASSERT_TRUE(plain.writeTo(dir / "plain.tar").ok());
  std::string seen;
  const auto written =
      checked.writeTo(dir / "checked.tar", /*durable=*/true,
                      [&](int tarStream) -> core::Result<BagWriter::TagFiles> {
                        seen = readStream(tarStream);
                        return BagWriter::TagFiles{{"check-report.json", R"({"passed":true})"},
                                                   {"check-report.html", "<p>通过</p>\n"}};
                      });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(seen, readFile(dir / "plain.tar"));  // the check read the whole bag, signed
  BagWriter fromStart = sampleBag(dir);
  fromStart.signWith(signer.value());
  fromStart.addTagFile("check-report.json", R"({"passed":true})");
  fromStart.addTagFile("check-report.html", "<p>通过</p>\n");
  ASSERT_TRUE(fromStart.writeTo(dir / "from-start.tar").ok());
  const std::string bytes = readFile(dir / "checked.tar");
  EXPECT_EQ(bytes, readFile(dir / "from-start.tar"));
  EXPECT_EQ(written.value().sha256, core::sha256Hex(bytes));
  EXPECT_EQ(written.value().size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(bytes.size() % 10240, 0u);  // ends in whole tar blocks, as tar writes them
  std::string listing;
  ASSERT_EQ(runCommand({"tar", "-tf", dir / "checked.tar"}, listing), 0) << listing;
  EXPECT_NE(listing.find("J001-2023-ZZ/check-report.json"), std::string::npos) << listing;

  // A check that fails leaves nothing; so do tag files with names the bag cannot take.
  const auto failed = sampleBag(dir).writeTo(
      dir / "failed.tar", false, [](int) -> core::Result<BagWriter::TagFiles> {
        return core::Error::make(core::ErrorCode::kUnavailable, "cancelled", "cancelled");
      });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().reason, "cancelled");
  EXPECT_FALSE(std::filesystem::exists(dir / "failed.tar"));
  const auto badName =
      sampleBag(dir).writeTo(dir / "bad.tar", false, [](int) -> core::Result<BagWriter::TagFiles> {
        return BagWriter::TagFiles{{"manifest-md5.txt", ""}};
      });
  ASSERT_FALSE(badName.ok());
  EXPECT_EQ(badName.error().reason, "invalid_tag_file");
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.tar"));
}

// How many of the file's pages are in the page cache.
std::size_t pagesCached(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  const auto size = static_cast<std::size_t>(::lseek(fd, 0, SEEK_END));
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  ::mincore(map, size, resident.data());
  ::munmap(map, size);
  return static_cast<std::size_t>(std::count_if(resident.begin(), resident.end(),
                                                [](unsigned char r) { return (r & 1) != 0; }));
}

// Whether `dir`'s file system takes direct writes and keeps them out of the page cache (tmpfs,
// whose files are the page cache, does not).
bool takesDirectWrites(const std::filesystem::path& dir) {
  const std::string probe = dir / "direct-probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
  if (fd < 0) return false;
  void* block = std::aligned_alloc(4096, 4096);
  std::memset(block, 0, 4096);
  const bool written = ::write(fd, block, 4096) == 4096;
  std::free(block);
  ::close(fd);
  const bool uncached = written && pagesCached(probe) == 0;
  std::filesystem::remove(probe);
  return uncached;
}

// A durable tar is written straight to the disk, bypassing the page cache, except what is left
// at its end that is not a whole block: the same bytes, with and without a check, as a tar
// written through the cache.
TEST(BagWriter, ADurableTarGoesStraightToTheDiskWithTheSameBytes) {
  TempDir dir;
  BagWriter bag = sampleBag(dir);
  bag.addBytes("odd.bin", std::string(3 * 1024 * 1024 + 1234, 'o'));  // whole blocks and a rest
  ASSERT_TRUE(bag.writeTo(dir / "cached.tar").ok());
  ASSERT_TRUE(bag.writeTo(dir / "durable.tar", /*durable=*/true).ok());
  const auto checked =
      bag.writeTo(dir / "checked.tar", /*durable=*/true,
                  [](int tarStream) -> core::Result<BagWriter::TagFiles> {
                    return BagWriter::TagFiles{{"check-report.json", readStream(tarStream)}};
                  });
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  const std::string cached = readFile(dir / "cached.tar");
  EXPECT_EQ(readFile(dir / "durable.tar"), cached);
  BagWriter fromStart = sampleBag(dir);
  fromStart.addBytes("odd.bin", std::string(3 * 1024 * 1024 + 1234, 'o'));
  fromStart.addTagFile("check-report.json", cached);  // the check saw the tar without it
  ASSERT_TRUE(fromStart.writeTo(dir / "from-start.tar").ok());
  EXPECT_EQ(readFile(dir / "checked.tar"), readFile(dir / "from-start.tar"));

  if (!takesDirectWrites(dir.path())) GTEST_SKIP() << "no direct writes on this file system";
  ASSERT_TRUE(bag.writeTo(dir / "cold.tar", /*durable=*/true).ok());
  const std::size_t pages = std::filesystem::file_size(dir / "cold.tar") / 4096;
  EXPECT_LT(pagesCached(dir / "cold.tar"), pages / 10) << "of " << pages << " pages";
  ASSERT_TRUE(bag.writeTo(dir / "warm.tar").ok());
  EXPECT_GT(pagesCached(dir / "warm.tar"), pages / 2) << "of " << pages << " pages";
}

// A check may stop reading anywhere (a verifier that found an unsafe entry stops there): the
// writer neither waits for it nor fails, whatever is left of a tar larger than the pipe.
TEST(BagWriter, ACheckThatStopsReadingEarlyDoesNotHoldUpTheWriter) {
  TempDir dir;
  BagWriter bag = sampleBag(dir);
  bag.addBytes("big.bin", std::string(8 * 1024 * 1024, 'b'));
  ASSERT_TRUE(bag.writeTo(dir / "plain.tar").ok());
  for (const std::size_t readFirst : {std::size_t{0}, std::size_t{512}, std::size_t{5} << 20}) {
    SCOPED_TRACE(readFirst);
    const auto written = bag.writeTo(
        dir / "checked.tar", false, [&](int tarStream) -> core::Result<BagWriter::TagFiles> {
          std::string head(readFirst, '\0');
          std::size_t have = 0;
          while (have < readFirst) {
            const ssize_t got = ::read(tarStream, head.data() + have, readFirst - have);
            if (got <= 0) break;
            have += static_cast<std::size_t>(got);
          }
          EXPECT_EQ(head, readFile(dir / "plain.tar").substr(0, readFirst));
          return BagWriter::TagFiles{};
        });
    ASSERT_TRUE(written.ok()) << written.error().message;
    EXPECT_EQ(readFile(dir / "checked.tar"), readFile(dir / "plain.tar"));
  }
  // A check that throws is a failed check, and leaves nothing.
  const auto thrown =
      bag.writeTo(dir / "thrown.tar", false, [](int) -> core::Result<BagWriter::TagFiles> {
        throw std::runtime_error("the checker broke");
      });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().reason, "check_failed");
  EXPECT_NE(thrown.error().message.find("the checker broke"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "thrown.tar"));
}

// Stopping part way (the job was cancelled) leaves no tar behind and no digest thread writing
// into results that are gone: many small files keep the digests queued when it stops.
TEST(BagWriter, StopsWhenProgressSaysSoAndLeavesNothing) {
  TempDir dir;
  BagWriter bag("stopped", 1700000000);
  for (int i = 0; i < 500; ++i)
    bag.addBytes("f/" + std::to_string(i) + ".txt", std::string(3000, 'x'));
  int calls = 0;
  bag.onProgress([&](std::int64_t) { return ++calls < 200; });
  const auto written = bag.writeTo(dir / "stopped.tar");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().reason, "cancelled");
  EXPECT_FALSE(std::filesystem::exists(dir / "stopped.tar"));
}

}  // namespace
}  // namespace gongkai::archive
