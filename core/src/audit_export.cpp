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

}  // namespace

std::string header(std::string_view checkpointNote, std::uint64_t entryCount) {
  std::string out(kMagic);
  out += "\ncheckpoint " + std::to_string(checkpointNote.size()) + "\n";
  out += checkpointNote;
  out += "entries " + std::to_string(entryCount) + "\n";
  return out;
}

bool Reader::refill() {
  buffer_.erase(0, at_);
  at_ = 0;
  constexpr std::size_t kBlock = 1 << 20;
  const std::size_t kept = buffer_.size();
  buffer_.resize(kept + kBlock);
  in_.read(buffer_.data() + kept, static_cast<std::streamsize>(kBlock));
  buffer_.resize(kept + static_cast<std::size_t>(in_.gcount()));
  return buffer_.size() > kept;
}

bool Reader::readLine(std::string& line, std::size_t limit, bool& newline, bool& tooLong) {
  line.clear();
  newline = tooLong = false;
  std::size_t scanned = at_;
  while (true) {
    const auto end = buffer_.find('\n', scanned);
    if (end != std::string::npos) {
      if (end - at_ > limit) {
        tooLong = true;
        return false;
      }
      line.assign(buffer_, at_, end - at_);
      at_ = end + 1;
      newline = true;
      return true;
    }
    if (buffer_.size() - at_ > limit) {
      tooLong = true;
      return false;
    }
    scanned = buffer_.size() - at_;
    if (!refill()) break;
  }
  if (at_ == buffer_.size()) return false;
  line.assign(buffer_, at_, std::string::npos);
  at_ = buffer_.size();
  return true;
}

bool Reader::fail(std::string message) {
  error_ = malformed(std::move(message));
  return false;
}

Status Reader::start() {
  std::string line;
  bool newline = false, tooLong = false;
  if (!readLine(line, 64, newline, tooLong) || !newline || line != kMagic) {
    return malformed("不是审计日志导出文件 (not an audit log export)");
  }
  std::uint64_t noteBytes = 0;
  if (!readLine(line, 64, newline, tooLong) || !newline ||
      !parseCountLine(line, "checkpoint", noteBytes) || noteBytes > kMaxNoteBytes) {
    return malformed("检查点长度行错误 (bad checkpoint length line)");
  }
  while (buffer_.size() - at_ < noteBytes) {
    if (!refill()) return malformed("检查点被截断 (checkpoint cut short)");
  }
  note_ = buffer_.substr(at_, noteBytes);
  at_ += noteBytes;
  if (!readLine(line, 64, newline, tooLong) || !newline ||
      !parseCountLine(line, "entries", count_)) {
    return malformed("记录数行错误 (bad entry count line)");
  }
  return okStatus();
}

bool Reader::next(std::string& entry) {
  if (error_) return false;
  bool newline = false, tooLong = false;
  const bool gotLine = readLine(entry, kMaxEntryBytes, newline, tooLong);
  if (tooLong) {
    return fail("第 " + std::to_string(read_ + 1) + " 行过长 (line " + std::to_string(read_ + 1) +
                " is too long)");
  }
  if (read_ == count_) {
    if (!gotLine || !newline || entry + "\n" != kEnd) {
      return fail(
          "缺少结束行 (missing end line): 文件被截断或有多余内容 (file cut short or has extra "
          "data)");
    }
    if (at_ < buffer_.size() || refill())
      return fail("结束行之后还有内容 (data after the end line)");
    return false;
  }
  if (!gotLine || !newline) {
    return fail("文件在第 " + std::to_string(read_ + 1) +
                " 条记录处被截断 (file cut short at entry " + std::to_string(read_ + 1) + ")");
  }
  ++read_;
  return true;
}

}  // namespace gongkai::core::audit_export
