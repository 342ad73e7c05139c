#include "gongkai/core/audit_export.h"

#include <charconv>

namespace gongkai::core::audit_export {
namespace {

constexpr std::size_t kMaxNoteBytes = 1 << 16;
constexpr std::size_t kMaxEntryBytes = 1 << 20;

Error malformed(std::string message) {
  return Error::make(ErrorCode::kMalformed, "malformed_export", std::move(message));
}

// "<label> <decimal>" into `value`.
bool parseCountLine(std::string_view line, std::string_view label, std::uint64_t& value) {
  if (!line.starts_with(label) || line.size() <= label.size() + 1 || line[label.size()] != ' ') {
    return false;
  }
  const std::string_view digits = line.substr(label.size() + 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size();
}

// A line of at most `limit` bytes without its newline; false at end of stream or when too long.
bool readLine(std::istream& in, std::string& line, std::size_t limit, bool& sawNewline) {
  line.clear();
  sawNewline = false;
  std::streambuf* buffer = in.rdbuf();
  while (true) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) return !line.empty();
    if (c == '\n') {
      sawNewline = true;
      return true;
    }
    if (line.size() >= limit) return false;
    line.push_back(static_cast<char>(c));
  }
}

}  // namespace

std::string header(std::string_view checkpointNote, std::uint64_t entryCount) {
  std::string out(kMagic);
  out += "\ncheckpoint " + std::to_string(checkpointNote.size()) + "\n";
  out += checkpointNote;
  out += "entries " + std::to_string(entryCount) + "\n";
  return out;
}

bool Reader::fail(std::string message) {
  error_ = malformed(std::move(message));
  return false;
}

Status Reader::start() {
  std::string line;
  bool newline = false;
  if (!readLine(in_, line, 64, newline) || !newline || line != kMagic) {
    return malformed("不是审计日志导出文件 (not an audit log export)");
  }
  std::uint64_t noteBytes = 0;
  if (!readLine(in_, line, 64, newline) || !newline || !parseCountLine(line, "checkpoint", noteBytes) ||
      noteBytes > kMaxNoteBytes) {
    return malformed("检查点长度行错误 (bad checkpoint length line)");
  }
  note_.resize(noteBytes);
  if (!in_.read(note_.data(), static_cast<std::streamsize>(noteBytes))) {
    return malformed("检查点被截断 (checkpoint cut short)");
  }
  if (!readLine(in_, line, 64, newline) || !newline || !parseCountLine(line, "entries", count_)) {
    return malformed("记录数行错误 (bad entry count line)");
  }
  return okStatus();
}

bool Reader::next(std::string& entry) {
  if (error_) return false;
  bool newline = false;
  const bool gotLine = readLine(in_, entry, kMaxEntryBytes, newline);
  if (read_ == count_) {
    if (!gotLine || !newline || entry + "\n" != kEnd) {
      return fail("缺少结束行 (missing end line): 文件被截断或有多余内容 (file cut short or has extra data)");
    }
    if (in_.rdbuf()->sgetc() != std::char_traits<char>::eof()) {
      return fail("结束行之后还有内容 (data after the end line)");
    }
    return false;
  }
  if (!gotLine || !newline) {
    return fail("文件在第 " + std::to_string(read_ + 1) + " 条记录处被截断 (file cut short at entry " +
                std::to_string(read_ + 1) + ")");
  }
  ++read_;
  return true;
}

}  // namespace gongkai::core::audit_export
