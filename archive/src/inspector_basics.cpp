#include "inspector_basics.h"

#include <algorithm>

#include "gongkai/core/text.h"

namespace gongkai::archive::inspect {

namespace {

constexpr std::string_view kExecutableExtensions[] = {"exe", "dll", "com", "scr",   "msi",
                                                      "jar", "apk", "so",  "dylib", "lnk"};
constexpr std::string_view kScriptExtensions[] = {"bat", "cmd", "ps1", "vbs", "vbe",
                                                  "js",  "jse", "wsf", "wsh", "hta",
                                                  "sh",  "py",  "pl",  "php", "rb"};

}  // namespace

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | static_cast<std::uint32_t>(le16(b, at + 2))
                                                       << 16;
}

bool hasAt(std::string_view b, std::size_t at, std::string_view magic) {
  return at <= b.size() && b.size() - at >= magic.size() && b.substr(at, magic.size()) == magic;
}

std::string extensionOf(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : lowerAscii(name.substr(dot + 1));
}

Danger dangerOfExtension(std::string_view extension) {
  if (extension.empty()) return Danger::kNone;
  for (std::string_view e : kExecutableExtensions) {
    if (e == extension) return Danger::kExecutable;
  }
  for (std::string_view e : kScriptExtensions) {
    if (e == extension) return Danger::kScript;
  }
  return Danger::kNone;
}

std::string printableName(std::string_view name) {
  constexpr std::size_t kMaxLength = 200;
  // NUL is among the control characters refused here.
  const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
  const bool plain = core::isValidUtf8(name) && std::none_of(name.begin(), name.end(), control);
  std::string out;
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    // Cut only before a lead byte, so a plain name stays valid UTF-8.
    if (out.size() >= kMaxLength && (!plain || (b & 0xC0) != 0x80)) return out + "…";
    if (plain || (b >= 0x20 && b < 0x7f)) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

void addOnce(std::vector<FileProblem>& problems, std::string code, std::string message) {
  for (const FileProblem& p : problems) {
    if (p.code == code) return;
  }
  problems.push_back({std::move(code), std::move(message)});
}

}  // namespace gongkai::archive::inspect
