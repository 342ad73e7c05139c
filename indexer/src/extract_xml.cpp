// The pull scanner for office XML; see extract_xml.h for what it accepts.
#include "extract_xml.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace gongkai::indexer::detail {
namespace {

// Deeper than any real document nests; bounds the work a hostile one can ask for.
constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxAttributes = 256;

[[noreturn]] void failXml(const char* why) {
  fail("malformed", std::string("文档结构有误 (malformed XML: ") + why + ")");
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view localName(std::string_view qualified) {
  const std::size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

// Character data with the predefined entities and character references decoded; anything else
// after '&' is kept as it stands.
std::string decodeEntities(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::size_t semicolon = raw[i] == '&' ? raw.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += raw[i];
      continue;
    }
    const std::string_view body = raw.substr(i + 1, semicolon - i - 1);
    if (body == "lt")
      out += '<';
    else if (body == "gt")
      out += '>';
    else if (body == "amp")
      out += '&';
    else if (body == "quot")
      out += '"';
    else if (body == "apos")
      out += '\'';
    else if (body.size() >= 2 && body[0] == '#') {
      const bool hex = body[1] == 'x';
      std::uint32_t cp = 0;
      for (char c : body.substr(hex ? 2 : 1)) {
        const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                          : hex && std::isxdigit(static_cast<unsigned char>(c))
                              ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                              : -1;
        // Out of range or not a digit: stays past U+10FFFF, which becomes U+FFFD.
        cp = digit < 0 || cp > 0x10FFFF ? 0x110000 : cp * (hex ? 16 : 10) + digit;
      }
      appendCodePoint(out, cp);
    } else {
      out += raw[i];
      continue;
    }
    i = semicolon;
  }
  return out;
}

// The encoding an XML declaration names, or "".
std::string declaredEncoding(std::string_view xml) {
  if (xml.substr(0, 5) != "<?xml") return "";
  const std::string_view decl = xml.substr(0, xml.find("?>"));
  std::size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return "";
  pos = decl.find_first_of("\"'", pos);
  if (pos == std::string_view::npos) return "";
  const std::size_t end = decl.find(decl[pos], pos + 1);
  if (end == std::string_view::npos) return "";
  return asciiLower(decl.substr(pos + 1, end - pos - 1));
}

}  // namespace

XmlScanner::XmlScanner(std::string_view xml, const Deadline& deadline)
    : xml_(xml), deadline_(deadline) {
  if (xml.substr(0, 2) == "\xFF\xFE" || xml.substr(0, 2) == "\xFE\xFF") {
    converted_ = decodeText(xml);
    xml_ = converted_;
  } else if (xml.substr(0, 3) == "\xEF\xBB\xBF") {
    xml_ = xml.substr(3);
  } else if (const std::string encoding = declaredEncoding(xml);
             !encoding.empty() && encoding != "utf-8" && encoding != "utf8") {
    converted_ = decodeCharset(xml, encoding.c_str());
    xml_ = converted_;
  }
}

XmlScanner::Event XmlScanner::next() {
  if (pendingEnd_) {
    pendingEnd_ = false;
    --depth_;
    return Event::End;
  }
  for (;;) {
    if ((++events_ & 0xFFF) == 0) deadline_.check();
    if (pos_ >= xml_.size()) return Event::Done;
    if (xml_[pos_] != '<') {
      const std::size_t lt = std::min(xml_.find('<', pos_), xml_.size());
      text_ = decodeEntities(xml_.substr(pos_, lt - pos_));
      pos_ = lt;
      return Event::Text;
    }
    const std::string_view rest = xml_.substr(pos_);
    if (rest.substr(0, 4) == "<!--") {
      skipPast("-->");
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = xml_.find("]]>", pos_ + 9);
      if (end == std::string_view::npos) failXml("unterminated CDATA");
      text_ = std::string(xml_.substr(pos_ + 9, end - pos_ - 9));
      pos_ = end + 3;
      return Event::Text;
    } else if (rest.substr(0, 2) == "<!") {
      failXml("DTD not allowed");
    } else if (rest.substr(0, 2) == "<?") {
      skipPast("?>");
    } else if (rest.substr(0, 2) == "</") {
      return endTag();
    } else {
      return startTag();
    }
  }
}

void XmlScanner::skipPast(std::string_view terminator) {
  const std::size_t end = xml_.find(terminator, pos_);
  if (end == std::string_view::npos) failXml("unterminated markup");
  pos_ = end + terminator.size();
}

XmlScanner::Event XmlScanner::endTag() {
  const std::size_t gt = xml_.find('>', pos_);
  if (gt == std::string_view::npos) failXml("unterminated end tag");
  std::string_view name = xml_.substr(pos_ + 2, gt - pos_ - 2);
  while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);
  name_ = localName(name);
  pos_ = gt + 1;
  if (depth_ == 0) failXml("end tag without start");
  --depth_;
  return Event::End;
}

XmlScanner::Event XmlScanner::startTag() {
  const std::size_t nameStart = pos_ + 1;
  pos_ = nameStart;
  while (pos_ < xml_.size() && !isSpace(xml_[pos_]) && xml_[pos_] != '>' && xml_[pos_] != '/') {
    ++pos_;
  }
  if (pos_ == nameStart) failXml("empty element name");
  name_ = localName(xml_.substr(nameStart, pos_ - nameStart));
  readAttributes();
  if (++depth_ > kMaxDepth) failXml("nested too deeply");
  if (xml_[pos_] == '/') {
    pendingEnd_ = true;
    ++pos_;
  }
  ++pos_;  // the '>'
  return Event::Start;
}

// Reads name="value" pairs up to the tag's '/>' or '>', leaving pos_ on it.
void XmlScanner::readAttributes() {
  attributes_.clear();
  for (;;) {
    while (pos_ < xml_.size() && isSpace(xml_[pos_])) ++pos_;
    if (pos_ >= xml_.size()) failXml("unterminated start tag");
    if (xml_[pos_] == '>' || xml_.substr(pos_, 2) == "/>") return;
    const std::size_t eq = xml_.find('=', pos_);
    if (eq == std::string_view::npos) failXml("attribute without value");
    std::string_view name = xml_.substr(pos_, eq - pos_);
    while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);
    std::size_t quote = eq + 1;
    while (quote < xml_.size() && isSpace(xml_[quote])) ++quote;
    if (quote >= xml_.size() || (xml_[quote] != '"' && xml_[quote] != '\'')) {
      failXml("unquoted attribute");
    }
    const std::size_t end = xml_.find(xml_[quote], quote + 1);
    if (end == std::string_view::npos) failXml("unterminated attribute");
    if (attributes_.size() >= kMaxAttributes) failXml("too many attributes");
    attributes_.emplace_back(localName(name), xml_.substr(quote + 1, end - quote - 1));
    pos_ = end + 1;
  }
}

std::string XmlScanner::attribute(std::string_view localName) const {
  for (const auto& [name, value] : attributes_) {
    if (name == localName) return decodeEntities(value);
  }
  return "";
}

}  // namespace gongkai::indexer::detail
