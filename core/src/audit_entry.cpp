#include "gongkai/core/audit_entry.h"

#include <charconv>

#include "gongkai/core/json.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"

namespace gongkai::core {
namespace {

// Entries are written and read by hand rather than through a JSON tree: verification reads
// millions of them. The layout below is exactly RFC 8785's for these members (keys sorted, no
// whitespace), and the reader accepts only the one encoding the writer produces for each value
// (no optional escapes, no leading zeros, one time format), so two different byte strings can
// never parse to the same entry. tests/core/audit_entry_test.cpp holds both to that.
constexpr int kFormatVersion = 1;

Error corrupt(std::string message) {
  return Error::make(ErrorCode::kCorrupt, "corrupt_audit_entry", std::move(message));
}

// Reads the fixed layout left to right; any deviation sets `ok` to false.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (!ok_ || text_.substr(at_, expected.size()) != expected) return ok_ = false;
    at_ += expected.size();
    return true;
  }

  bool peek(std::string_view expected) const {
    return ok_ && text_.substr(at_, expected.size()) == expected;
  }

  // A JSON string as the canonical writer produces it: only its own escapes are accepted.
  std::string string() {
    std::string out;
    if (!literal("\"")) return out;
    while (at_ < text_.size()) {
      // Copy the run up to the next quote, backslash or control character in one go.
      std::size_t end = at_;
      while (end < text_.size()) {
        const auto b = static_cast<unsigned char>(text_[end]);
        if (b == '"' || b == '\\' || b < 0x20) break;
        ++end;
      }
      out.append(text_.data() + at_, end - at_);
      at_ = end;
      if (at_ >= text_.size()) break;
      const char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) break;
      if (at_ >= text_.size()) break;
      switch (text_[at_++]) {
        case '"':
          out.push_back('"');
          continue;
        case '\\':
          out.push_back('\\');
          continue;
        case 'b':
          out.push_back('\b');
          continue;
        case 'f':
          out.push_back('\f');
          continue;
        case 'n':
          out.push_back('\n');
          continue;
        case 'r':
          out.push_back('\r');
          continue;
        case 't':
          out.push_back('\t');
          continue;
        case 'u': {
          if (at_ + 4 > text_.size() || text_.substr(at_, 2) != "00") break;
          int value = 0;
          for (int i = 2; i < 4; ++i) {
            const char h = text_[at_ + i];
            value = value * 16 + (h >= '0' && h <= '9'   ? h - '0'
                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                                         : 99);
          }
          // Only characters without a short escape are written as \u00xx.
          if (value >= 0x20 || value == '\b' || value == '\t' || value == '\n' || value == '\f' ||
              value == '\r') {
            break;
          }
          out.push_back(static_cast<char>(value));
          at_ += 4;
          continue;
        }
        default:
          break;
      }
      break;
    }
    ok_ = false;
    return out;
  }

  // A string that needs no escape, seen in place; one with an escape (or a raw control
  // character) is refused here, for the caller to read with string() instead.
  std::string_view unescapedString() {
    if (!literal("\"")) return {};
    std::size_t end = at_;
    while (end < text_.size()) {
      const auto b = static_cast<unsigned char>(text_[end]);
      if (b == '"' || b == '\\' || b < 0x20) break;
      ++end;
    }
    if (end >= text_.size() || text_[end] != '"') {
      ok_ = false;
      return {};
    }
    const std::string_view out = text_.substr(at_, end - at_);
    at_ = end + 1;
    return out;
  }

  // A string that holds no escapes (anything else is refused), seen in place.
  std::string_view plainString() {
    if (!literal("\"")) return {};
    const std::size_t end = text_.find('"', at_);
    if (end == std::string_view::npos) {
      ok_ = false;
      return {};
    }
    const std::string_view out = text_.substr(at_, end - at_);
    if (out.find('\\') != std::string_view::npos) ok_ = false;
    at_ = end + 1;
    return out;
  }

  // An integer as std::to_string writes it: no sign but '-', no leading zeros, no "-0".
  std::int64_t integer() {
    std::int64_t value = 0;
    const char* begin = text_.data() + at_;
    const char* limit = text_.data() + text_.size();
    const auto [end, error] = std::from_chars(begin, limit, value);
    const char* digits = begin < limit && *begin == '-' ? begin + 1 : begin;
    const bool canonical =
        end > digits && (*digits != '0' || (end == digits + 1 && digits == begin));
    if (!ok_ || error != std::errc() || !canonical) {
      ok_ = false;
      return 0;
    }
    at_ += static_cast<std::size_t>(end - begin);
    return value;
  }

  bool ok() const { return ok_; }
  bool atEnd() const { return at_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string canonicalBytes(const AuditEntry& entry) {
  std::string out;
  out.reserve(320 + entry.actor.size() + entry.action.size() + entry.object_id.size());
  out += "{\"action\":";
  appendJsonString(out, entry.action);
  out += ",\"actor\":";
  appendJsonString(out, entry.actor);
  out += ",\"client\":";
  appendJsonString(out, entry.client);
  out += ",\"content_sha256\":";
  appendJsonString(out, entry.content_sha256);
  out += ",\"object\":{\"id\":";
  appendJsonString(out, entry.object_id);
  out += ",\"type\":";
  appendJsonString(out, entry.object_type);
  if (entry.object_version) {
    out += ",\"version\":";
    out += std::to_string(*entry.object_version);
  }
  out += "},\"prev_hash\":";
  appendJsonString(out, entry.prev_hash);
  out += ",\"seq\":";
  out += std::to_string(entry.seq);
  out += ",\"time\":";
  appendJsonString(out, formatRfc3339(entry.time));
  out += ",\"v\":";
  out += std::to_string(kFormatVersion);
  out += "}";
  return out;
}

namespace {

// The canonical layout, left to right, shared by both readers so they cannot drift apart:
// `readString` gives each string member in the reader's form (decoded, or a view).
template <typename Entry, typename ReadString>
bool readLayout(Cursor& in, Entry& entry, std::string_view& time, std::int64_t& version,
                ReadString readString) {
  in.literal("{\"action\":");
  entry.action = readString(in);
  in.literal(",\"actor\":");
  entry.actor = readString(in);
  in.literal(",\"client\":");
  entry.client = readString(in);
  in.literal(",\"content_sha256\":");
  entry.content_sha256 = readString(in);
  in.literal(",\"object\":{\"id\":");
  entry.object_id = readString(in);
  in.literal(",\"type\":");
  entry.object_type = readString(in);
  if (in.peek(",\"version\":")) {
    in.literal(",\"version\":");
    entry.object_version = in.integer();
  }
  in.literal("},\"prev_hash\":");
  entry.prev_hash = readString(in);
  in.literal(",\"seq\":");
  entry.seq = in.integer();
  in.literal(",\"time\":");
  time = in.plainString();
  in.literal(",\"v\":");
  version = in.integer();
  in.literal("}");
  return in.ok() && in.atEnd();
}

// The time exactly as formatRfc3339 writes it: UTC, milliseconds, no leap second.
std::optional<TimePoint> canonicalTime(std::string_view time) {
  const auto parsed = parseRfc3339(time);
  if (!parsed || time.size() != 24 || time[10] != 'T' || time[19] != '.' || time[23] != 'Z' ||
      time[17] > '5') {
    return std::nullopt;
  }
  return parsed;
}

}  // namespace

Result<AuditEntry> parseAuditEntry(std::string_view bytes) {
  if (!isValidUtf8(bytes)) return corrupt("不是有效的 UTF-8 (not valid UTF-8)");
  Cursor in(bytes);
  AuditEntry entry;
  std::string_view time;
  std::int64_t version = 0;
  if (!readLayout(in, entry, time, version, [](Cursor& c) { return c.string(); })) {
    return corrupt("不是规范形式的审计记录 (not a canonical audit entry)");
  }
  if (version != kFormatVersion) return corrupt("格式版本不符 (unknown format version)");
  const auto parsedTime = canonicalTime(time);
  if (!parsedTime) return corrupt("时间不是规范形式 (time is not in canonical form)");
  entry.time = *parsedTime;
  return entry;
}

std::optional<AuditEntryView> viewAuditEntry(std::string_view bytes) {
  if (!isValidUtf8(bytes)) return std::nullopt;
  Cursor in(bytes);
  AuditEntryView entry;
  std::string_view time;
  std::int64_t version = 0;
  if (!readLayout(in, entry, time, version, [](Cursor& c) { return c.unescapedString(); }) ||
      version != kFormatVersion) {
    return std::nullopt;
  }
  const auto parsedTime = canonicalTime(time);
  if (!parsedTime) return std::nullopt;
  entry.time = *parsedTime;
  return entry;
}

AuditEntryView viewOf(const AuditEntry& entry) {
  return AuditEntryView{entry.seq,       entry.time,           entry.actor,
                        entry.client,    entry.action,         entry.object_type,
                        entry.object_id, entry.object_version, entry.content_sha256,
                        entry.prev_hash};
}

AuditEntryView::operator AuditEntry() const {
  return AuditEntry{seq,
                    time,
                    std::string(actor),
                    std::string(client),
                    std::string(action),
                    std::string(object_type),
                    std::string(object_id),
                    object_version,
                    std::string(content_sha256),
                    std::string(prev_hash)};
}

std::string entryHash(std::string_view bytes) { return sha256Hex(bytes); }

}  // namespace gongkai::core
