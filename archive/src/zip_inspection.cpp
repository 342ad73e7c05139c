#include "zip_inspection.h"

#include <limits>
#include <string>
#include <vector>

#include "gongkai/core/zip_directory.h"
#include "inspector_basics.h"

namespace gongkai::archive::inspect {

namespace {

// What the central directory of a ZIP says, as far as the checks need it.
struct ZipDirectory {
  bool read = false;
  std::string problemCode;  // "truncated" or "zip_directory_unreadable" when !read
  std::string problemMessage;
  bool ofdRoot = false;
  bool wordDocument = false;
  bool excelWorkbook = false;
  bool presentation = false;
  std::string encryptedEntry;
  std::string vbaEntry;
  std::string odfMacroEntry;
  std::string dangerousEntry;
};

ZipDirectory unreadable(std::string why) {
  ZipDirectory dir;
  dir.problemCode = "zip_directory_unreadable";
  dir.problemMessage = std::move(why);
  return dir;
}

void noteZipEntry(ZipDirectory& dir, std::string_view name, std::uint16_t flags,
                  std::uint16_t method) {
  // Bit 0: traditional or AES encryption; bit 6: strong encryption; method 99: AES.
  if (((flags & 0x0001) != 0 || (flags & 0x0040) != 0 || method == 99) &&
      dir.encryptedEntry.empty()) {
    dir.encryptedEntry = printableName(name);
  }
  if (name == "OFD.xml") dir.ofdRoot = true;
  if (name == "word/document.xml") dir.wordDocument = true;
  if (name == "xl/workbook.xml") dir.excelWorkbook = true;
  if (name == "ppt/presentation.xml") dir.presentation = true;

  const std::string lower = lowerAscii(name);
  const std::size_t slash = lower.find_last_of("/\\");
  const std::string_view base = slash == std::string::npos
                                    ? std::string_view(lower)
                                    : std::string_view(lower).substr(slash + 1);
  const bool officeFolder =
      lower.starts_with("word/") || lower.starts_with("xl/") || lower.starts_with("ppt/");
  if (dir.vbaEntry.empty() &&
      (base == "vbaproject.bin" ||
       (officeFolder && base.starts_with("vbaproject") && base.ends_with(".bin")))) {
    dir.vbaEntry = printableName(name);
  }
  if (dir.odfMacroEntry.empty() && (lower.starts_with("basic/") || lower.starts_with("scripts/"))) {
    dir.odfMacroEntry = printableName(name);
  }
  if (dir.dangerousEntry.empty() && !lower.ends_with("/") &&
      dangerOfExtension(extensionOf(lower)) != Danger::kNone) {
    dir.dangerousEntry = printableName(name);
  }
}

// The inspector's message for what the shared reader finds wrong with a directory.
std::string unreadableMessage(core::ZipProblem problem) {
  switch (problem) {
    case core::ZipProblem::kZip64RecordOutOfRange:
      return "ZIP64 目录结尾记录不在可检查范围内 (ZIP64 end of central directory record is out of "
             "range)";
    case core::ZipProblem::kZip64RecordDamaged:
      return "ZIP64 目录结尾记录损坏 (ZIP64 end of central directory record is damaged)";
    case core::ZipProblem::kDirectoryOutsideFile:
      return "ZIP 中央目录位置超出文件范围 (ZIP central directory lies outside the file)";
    case core::ZipProblem::kDirectoryBeforeWindow:
      return "ZIP 中央目录过大，超出可检查的末尾 1 MiB (ZIP central directory is larger than the "
             "last 1 MiB that can be checked)";
    case core::ZipProblem::kEntryOverrun:
      return "ZIP 中央目录条目越界 (ZIP central directory entry overruns the directory)";
    case core::ZipProblem::kEntryCountMismatch:
      return "ZIP 中央目录条目数与结尾记录不符 (ZIP central directory entry count does not match "
             "its end record)";
    default:  // a damaged entry or ZIP64 extra field
      return "ZIP 中央目录条目损坏 (ZIP central directory entry is damaged)";
  }
}

// Reads the central directory from `tail`, the last bytes of a file of `total` bytes, and notes
// what the checks need. No entry limit: the directory must fit in the tail, which bounds the walk.
ZipDirectory readZipDirectory(std::string_view tail, std::uint64_t total) {
  core::ZipEndRecord end;
  const core::ZipProblem endProblem = core::findZipEndRecord(tail, total, end);
  if (endProblem == core::ZipProblem::kNoEndRecord) {
    ZipDirectory dir;
    dir.problemCode = "truncated";
    dir.problemMessage =
        "找不到 ZIP 中央目录结尾记录，文件可能不完整 (no ZIP end of central directory record; the "
        "file may be truncated)";
    return dir;
  }
  if (endProblem != core::ZipProblem::kNone) return unreadable(unreadableMessage(endProblem));
  if (end.multiVolume()) return unreadable("不支持分卷 ZIP (multi-volume ZIP is not supported)");
  std::vector<core::ZipDirectoryEntry> entries;
  const core::ZipReadLimits limits{std::numeric_limits<std::uint64_t>::max()};
  if (const core::ZipProblem problem = core::readZipDirectory(tail, total, end, limits, entries);
      problem != core::ZipProblem::kNone) {
    return unreadable(unreadableMessage(problem));
  }
  ZipDirectory dir;
  for (const core::ZipDirectoryEntry& entry : entries) {
    noteZipEntry(dir, entry.name, entry.flags, entry.method);
  }
  dir.read = true;
  return dir;
}

// The OpenDocument type from the stored "mimetype" entry that ODF puts first in the archive.
std::string_view odfFormatFromHead(std::string_view head) {
  constexpr std::size_t kLocalSize = 30;
  if (head.size() < kLocalSize) return {};
  const std::uint16_t method = le16(head, 8);
  const std::uint32_t size = le32(head, 18);
  const std::size_t nameLength = le16(head, 26);
  const std::size_t extraLength = le16(head, 28);
  if (method != 0 || nameLength != 8 || !hasAt(head, kLocalSize, "mimetype")) return {};
  const std::size_t content = kLocalSize + nameLength + extraLength;
  if (content > head.size() || head.size() - content < size) return {};
  const std::string_view mimetype = head.substr(content, size);
  if (mimetype == "application/vnd.oasis.opendocument.text") return "odt";
  if (mimetype == "application/vnd.oasis.opendocument.spreadsheet") return "ods";
  if (mimetype == "application/vnd.oasis.opendocument.presentation") return "odp";
  return {};
}

}  // namespace

bool checkZip(FileFindings& out, std::string_view head, std::string_view tail,
              std::uint64_t total) {
  bool knownForSure = true;
  const ZipDirectory dir = readZipDirectory(tail, total);
  const std::string_view odf = odfFormatFromHead(head);
  if (!dir.read) {
    addOnce(out.usability, dir.problemCode, dir.problemMessage);
    knownForSure = !odf.empty();
  }
  if (dir.ofdRoot) {
    out.format = "ofd";
  } else if (!odf.empty()) {
    out.format = odf;
  } else if (dir.wordDocument) {
    out.format = "docx";
  } else if (dir.excelWorkbook) {
    out.format = "xlsx";
  } else if (dir.presentation) {
    out.format = "pptx";
  }
  if (!dir.encryptedEntry.empty()) {
    addOnce(out.safety, "encrypted",
            "压缩包内条目已加密：" + dir.encryptedEntry +
                " (entry is encrypted: " + dir.encryptedEntry + ")");
  }
  if (!dir.vbaEntry.empty()) {
    addOnce(out.safety, "macro",
            "文档含有 VBA 宏：" + dir.vbaEntry + " (document contains VBA macros: " + dir.vbaEntry +
                ")");
  }
  if (!odf.empty() && !dir.odfMacroEntry.empty()) {
    addOnce(out.safety, "macro",
            "文档含有宏或脚本：" + dir.odfMacroEntry +
                " (document contains macros or scripts: " + dir.odfMacroEntry + ")");
  }
  if (!dir.dangerousEntry.empty()) {
    addOnce(out.safety, "executable",
            "压缩包内含有可执行程序或脚本：" + dir.dangerousEntry +
                " (archive contains an executable or script: " + dir.dangerousEntry + ")");
  }
  return knownForSure;
}

}  // namespace gongkai::archive::inspect
