// The shared ZIP central directory reader: well-formed directories (plain, with comments, ZIP64,
// read from a tail), and every way a hostile or cut file is refused, each with its own reason.
#include "gongkai/core/zip_directory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gongkai::core {
namespace {

using namespace std::string_literals;

// `n` bytes of `v`, little-endian.
std::string le(std::uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

struct Entry {
  std::string name;
  std::uint16_t flags = 0;
  std::uint16_t method = 8;
  std::uint32_t compressed = 10;
  std::uint32_t uncompressed = 20;
  std::uint32_t offset = 0;
  std::string extra;
};

std::string directoryEntry(const Entry& e) {
  return "PK\x01\x02"s + le(20, 2) + le(20, 2) + le(e.flags, 2) + le(e.method, 2) + le(0, 4) +
         le(0, 4) + le(e.compressed, 4) + le(e.uncompressed, 4) + le(e.name.size(), 2) +
         le(e.extra.size(), 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(e.offset, 4) +
         e.name + e.extra;
}

std::string endRecord(std::uint64_t entries, std::uint64_t size, std::uint64_t offset,
                      const std::string& comment = "") {
  return "PK\x05\x06"s + le(0, 2) + le(0, 2) + le(entries, 2) + le(entries, 2) + le(size, 4) +
         le(offset, 4) + le(comment.size(), 2) + comment;
}

// Some bytes standing for the local headers and data, then the directory and its end record.
std::string zipOf(const std::vector<Entry>& entries, std::size_t dataSize = 100) {
  std::string directory;
  for (const Entry& e : entries) directory += directoryEntry(e);
  return std::string(dataSize, 'x') + directory +
         endRecord(entries.size(), directory.size(), dataSize);
}

// The same directory with a ZIP64 end record and locator, and a saturated classic end record.
std::string zip64Of(const std::vector<Entry>& entries, std::size_t dataSize = 100) {
  std::string directory;
  for (const Entry& e : entries) directory += directoryEntry(e);
  const std::uint64_t record = dataSize + directory.size();
  const std::string zip64End = "PK\x06\x06"s + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) +
                               le(0, 4) + le(entries.size(), 8) + le(entries.size(), 8) +
                               le(directory.size(), 8) + le(dataSize, 8);
  const std::string locator = "PK\x06\x07"s + le(0, 4) + le(record, 8) + le(1, 4);
  return std::string(dataSize, 'x') + directory + zip64End + locator +
         endRecord(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF);
}

struct Read {
  ZipProblem problem = ZipProblem::kNone;
  ZipEndRecord end;
  std::vector<ZipDirectoryEntry> entries;
};

// Both steps over the last `windowSize` bytes of `file` (all of it by default).
Read readZip(const std::string& file, std::uint64_t maxEntries = 100,
             std::size_t windowSize = std::string::npos) {
  const std::string_view whole(file);
  const std::string_view window =
      windowSize >= whole.size() ? whole : whole.substr(whole.size() - windowSize);
  Read out;
  out.problem = findZipEndRecord(window, file.size(), out.end);
  if (out.problem == ZipProblem::kNone) {
    out.problem = readZipDirectory(window, file.size(), out.end, {maxEntries}, out.entries);
  }
  return out;
}

TEST(ZipDirectory, ReadsEveryFieldOfEveryEntry) {
  const std::string zip =
      zipOf({{"word/document.xml", 0x0801, 8, 123, 4567, 0}, {"secret.txt", 0x0001, 99, 5, 6, 77}});
  const Read read = readZip(zip);
  ASSERT_EQ(read.problem, ZipProblem::kNone) << zipProblemText(read.problem);
  EXPECT_FALSE(read.end.zip64);
  EXPECT_FALSE(read.end.multiVolume());
  EXPECT_EQ(read.end.entries, 2u);
  EXPECT_EQ(read.end.directoryOffset, 100u);
  EXPECT_EQ(read.end.directoryEnd, zip.size() - 22);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].name, "word/document.xml");
  EXPECT_EQ(read.entries[0].flags, 0x0801);
  EXPECT_EQ(read.entries[0].method, 8);
  EXPECT_EQ(read.entries[0].compressedSize, 123u);
  EXPECT_EQ(read.entries[0].uncompressedSize, 4567u);
  EXPECT_EQ(read.entries[1].name, "secret.txt");
  EXPECT_EQ(read.entries[1].method, 99);
  EXPECT_EQ(read.entries[1].localHeaderOffset, 77u);
}

TEST(ZipDirectory, AnEmptyArchiveHasNoEntries) {
  const Read read = readZip(endRecord(0, 0, 0));
  EXPECT_EQ(read.problem, ZipProblem::kNone);
  EXPECT_TRUE(read.entries.empty());
}

TEST(ZipDirectory, CommentsAndTrailingBytes) {
  // A comment that holds a record itself: the record that ends the file exactly wins.
  const std::string directory = directoryEntry({"a.txt"});
  const std::string fake = endRecord(7, 0, 0);
  const std::string commented =
      "x"s + directory + endRecord(1, directory.size(), 1, "note " + fake + " more");
  Read read = readZip(commented);
  ASSERT_EQ(read.problem, ZipProblem::kNone) << zipProblemText(read.problem);
  EXPECT_EQ(read.end.entries, 1u);

  // Bytes appended after the record (some writers and mailers do) are tolerated.
  read = readZip(zipOf({{"a.txt"}}) + "trailing");
  ASSERT_EQ(read.problem, ZipProblem::kNone) << zipProblemText(read.problem);
  EXPECT_EQ(read.entries.size(), 1u);
}

TEST(ZipDirectory, MissingEndRecord) {
  EXPECT_EQ(readZip("").problem, ZipProblem::kNoEndRecord);
  EXPECT_EQ(readZip("PK\x05\x06"s).problem, ZipProblem::kNoEndRecord);
  EXPECT_EQ(readZip(std::string(4096, 'z')).problem, ZipProblem::kNoEndRecord);
  // A comment that claims to run past the end of the file.
  std::string zip = zipOf({{"a.txt"}});
  zip.replace(zip.size() - 2, 2, le(5, 2));
  EXPECT_EQ(readZip(zip).problem, ZipProblem::kNoEndRecord);
}

TEST(ZipDirectory, TruncatedFilesAreRefused) {
  const std::string zip = zipOf({{"a.txt"}, {"b.txt"}});
  // Every cut: no end record at all, or one whose directory no longer fits.
  for (std::size_t size = 0; size < zip.size(); ++size) {
    const Read read = readZip(zip.substr(0, size));
    EXPECT_NE(read.problem, ZipProblem::kNone) << size;
  }
  // The first bytes lost: the directory now lies past the end record.
  const Read cutFront = readZip(zip.substr(50));
  EXPECT_EQ(cutFront.problem, ZipProblem::kDirectoryOutsideFile);
}

TEST(ZipDirectory, DirectoryOutsideTheFile) {
  std::string zip = zipOf({{"a.txt"}});
  zip.replace(zip.size() - 6, 4, le(0x7FFFFFF0, 4));  // directory offset
  EXPECT_EQ(readZip(zip).problem, ZipProblem::kDirectoryOutsideFile);
  zip = zipOf({{"a.txt"}});
  zip.replace(zip.size() - 10, 4, le(0xFFFFFF, 4));  // directory size
  EXPECT_EQ(readZip(zip).problem, ZipProblem::kDirectoryOutsideFile);
}

TEST(ZipDirectory, DamagedEntries) {
  std::string zip = zipOf({{"a.txt"}, {"b.txt"}});
  const std::size_t second = zip.rfind("PK\x01\x02"s);
  std::string badSignature = zip;
  badSignature[second + 2] = 9;
  EXPECT_EQ(readZip(badSignature).problem, ZipProblem::kEntryDamaged);

  std::string longName = zip;
  longName.replace(second + 28, 2, le(0xFFFF, 2));
  EXPECT_EQ(readZip(longName).problem, ZipProblem::kEntryOverrun);

  // A directory size that ends inside the second entry's fixed part.
  std::string shortDirectory = zip;
  const std::size_t end = zip.size() - 22;
  shortDirectory.replace(end + 12, 4, le(second - 100 + 10, 4));
  EXPECT_EQ(readZip(shortDirectory).problem, ZipProblem::kEntryDamaged);
}

TEST(ZipDirectory, EntryCountMustMatch) {
  std::string zip = zipOf({{"a.txt"}, {"b.txt"}});
  const std::size_t end = zip.size() - 22;
  std::string fewer = zip;
  fewer.replace(end + 10, 2, le(1, 2));
  EXPECT_EQ(readZip(fewer).problem, ZipProblem::kEntryCountMismatch);
  std::string more = zip;
  more.replace(end + 10, 2, le(3, 2));
  EXPECT_EQ(readZip(more).problem, ZipProblem::kEntryCountMismatch);
}

TEST(ZipDirectory, TooManyEntriesAreRefusedBeforeReading) {
  std::vector<Entry> entries;
  for (int i = 0; i < 11; ++i) entries.push_back({"f" + std::to_string(i)});
  const std::string zip = zipOf(entries);
  EXPECT_EQ(readZip(zip, 10).problem, ZipProblem::kTooManyEntries);
  EXPECT_EQ(readZip(zip, 11).problem, ZipProblem::kNone);

  // A declared count far beyond the limit, with damage after it: the limit speaks first.
  std::string lying = zip;
  lying.replace(zip.size() - 12, 2, le(0xFFFE, 2));
  lying[100] = 0;
  EXPECT_EQ(readZip(lying, 10).problem, ZipProblem::kTooManyEntries);
}

TEST(ZipDirectory, Zip64EndRecordAndExtraFields) {
  Entry big{"big.bin"};
  big.compressed = 0xFFFFFFFF;
  big.uncompressed = 0xFFFFFFFF;
  big.offset = 0xFFFFFFFF;
  big.extra = le(0x0001, 2) + le(24, 2) + le(6'000'000'000, 8) + le(5'000'000'000, 8) +
              le(4'500'000'000, 8);
  Entry small{"small.txt"};
  small.extra = le(0x5455, 2) + le(5, 2) + std::string(5, '\1');  // a timestamp, skipped
  const std::string zip = zip64Of({small, big});
  const Read read = readZip(zip);
  ASSERT_EQ(read.problem, ZipProblem::kNone) << zipProblemText(read.problem);
  EXPECT_TRUE(read.end.zip64);
  EXPECT_EQ(read.end.entries, 2u);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].uncompressedSize, 20u);
  EXPECT_EQ(read.entries[1].uncompressedSize, 6'000'000'000u);
  EXPECT_EQ(read.entries[1].compressedSize, 5'000'000'000u);
  EXPECT_EQ(read.entries[1].localHeaderOffset, 4'500'000'000u);

  // Only the saturated fields are in the extra field, in their fixed order.
  Entry sizesOnly{"s.bin"};
  sizesOnly.compressed = 0xFFFFFFFF;
  sizesOnly.extra = le(0x0001, 2) + le(8, 2) + le(7'000'000'000, 8);
  const Read one = readZip(zipOf({sizesOnly}));
  ASSERT_EQ(one.problem, ZipProblem::kNone) << zipProblemText(one.problem);
  EXPECT_EQ(one.entries[0].compressedSize, 7'000'000'000u);
  EXPECT_EQ(one.entries[0].uncompressedSize, 20u);

  // A saturated field the extra field does not hold.
  Entry missing = big;
  missing.extra = le(0x0001, 2) + le(16, 2) + le(1, 8) + le(2, 8);
  EXPECT_EQ(readZip(zipOf({missing})).problem, ZipProblem::kZip64ExtraDamaged);
}

TEST(ZipDirectory, DamagedZip64EndRecord) {
  const std::string zip = zip64Of({{"a.txt"}});
  const std::size_t locator = zip.size() - 22 - 20;
  std::string outOfRange = zip;
  outOfRange.replace(locator + 8, 8, le(zip.size() + 1000, 8));
  EXPECT_EQ(readZip(outOfRange).problem, ZipProblem::kZip64RecordOutOfRange);
  // Too near the locator for a whole record.
  std::string tooNear = zip;
  tooNear.replace(locator + 8, 8, le(locator - 10, 8));
  EXPECT_EQ(readZip(tooNear).problem, ZipProblem::kZip64RecordOutOfRange);

  std::string badSignature = zip;
  badSignature[zip.rfind("PK\x06\x06"s) + 3] = 7;
  EXPECT_EQ(readZip(badSignature).problem, ZipProblem::kZip64RecordDamaged);
}

TEST(ZipDirectory, MultiVolumeIsReportedNotRefused) {
  std::string zip = zipOf({{"a.txt"}});
  zip.replace(zip.size() - 22 + 4, 2, le(2, 2));
  const Read read = readZip(zip);
  EXPECT_EQ(read.problem, ZipProblem::kNone);
  EXPECT_TRUE(read.end.multiVolume());
}

TEST(ZipDirectory, ReadsFromTheTailOfALargerFile) {
  // 5000 bytes of data, then the directory: a 200-byte window holds the whole directory.
  const std::string zip = zipOf({{"a.txt"}, {"b.txt"}}, 5000);
  const Read read = readZip(zip, 100, 200);
  ASSERT_EQ(read.problem, ZipProblem::kNone) << zipProblemText(read.problem);
  EXPECT_EQ(read.end.directoryOffset, 5000u);
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[1].name, "b.txt");

  EXPECT_EQ(readZip(zip, 100, 60).problem, ZipProblem::kDirectoryBeforeWindow);
  const std::string zip64 = zip64Of({{"a.txt"}}, 5000);
  EXPECT_EQ(readZip(zip64, 100, 300).problem, ZipProblem::kNone);
  EXPECT_EQ(readZip(zip64, 100, 90).problem, ZipProblem::kZip64RecordOutOfRange);
}

TEST(ZipDirectory, EveryProblemHasAReason) {
  for (int p = 0; p <= static_cast<int>(ZipProblem::kEntryCountMismatch); ++p) {
    EXPECT_STRNE(zipProblemText(static_cast<ZipProblem>(p)), "unknown ZIP problem") << p;
  }
}

}  // namespace
}  // namespace gongkai::core
