#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/result.h"

// The exported audit log, one file that verifies offline:
//
//   gongkai-audit-export 1\n
//   checkpoint <byte length>\n
//   <the signed checkpoint note, that many bytes>
//   entries <N>\n
//   <canonical bytes of entry 1>\n ... <entry N>\n      (the checkpoint covers exactly N)
//   end\n
//
// Canonical entries never hold a raw newline (RFC 8785 escapes control characters), so one
// entry is one line; the count and the end line make a cut-off file evident.
namespace gongkai::core::audit_export {

inline constexpr std::string_view kMagic = "gongkai-audit-export 1";
inline constexpr std::string_view kEnd = "end\n";

std::string header(std::string_view checkpointNote, std::uint64_t entryCount);

// Reads an export from a stream, entry by entry, so a log of any length needs little memory.
class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}

  // Reads the header: the checkpoint note and the entry count.
  Status start();
  const std::string& checkpointNote() const { return note_; }
  std::uint64_t entryCount() const { return count_; }

  // The next entry's bytes into `entry`; false after the last one, or on a fault (see error()).
  bool next(std::string& entry);
  // After next() returned false: the fault that stopped it, if any (cut-off file, bad end line).
  const std::optional<Error>& error() const { return error_; }
  std::uint64_t entriesRead() const { return read_; }

 private:
  bool fail(std::string message);
  // The next line (without its newline) into `line`; false at the end of the stream, or when
  // the line is longer than `limit` (then `tooLong` is set). `newline` says if one ended it.
  bool readLine(std::string& line, std::size_t limit, bool& newline, bool& tooLong);
  bool refill();

  std::istream& in_;
  std::string buffer_;  // read ahead in large blocks: entries are short and many
  std::size_t at_ = 0;
  std::string note_;
  std::uint64_t count_ = 0;
  std::uint64_t read_ = 0;
  std::optional<Error> error_;
};

}  // namespace gongkai::core::audit_export
