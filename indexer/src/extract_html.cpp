// HTML to text: tags dropped, script, style and comments skipped, entities decoded, block
// elements as line breaks, whitespace collapsed as a browser would.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include "extract_detail.h"

namespace gongkai::indexer::detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The charset a <meta> in the first bytes declares, lower case, or "".
std::string declaredCharset(std::string_view bytes) {
  const std::string head = asciiLower(bytes.substr(0, 4096));
  for (std::size_t meta = head.find("<meta"); meta != std::string::npos;
       meta = head.find("<meta", meta + 5)) {
    const std::size_t end = std::min(head.find('>', meta), head.size());
    std::size_t pos = head.find("charset", meta);
    if (pos >= end) continue;
    pos += 7;
    while (pos < end &&
           (isSpace(head[pos]) || head[pos] == '=' || head[pos] == '"' || head[pos] == '\'')) {
      ++pos;
    }
    std::size_t stop = pos;
    while (stop < end && (std::isalnum(static_cast<unsigned char>(head[stop])) ||
                          head[stop] == '-' || head[stop] == '_')) {
      ++stop;
    }
    return head.substr(pos, stop - pos);
  }
  return "";
}

std::string toUtf8(std::string_view bytes) {
  const std::string charset = declaredCharset(bytes);
  const bool bom = bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF" ||
                   bytes.substr(0, 3) == "\xEF\xBB\xBF";
  if (bom) return decodeText(bytes);
  if (charset == "gbk" || charset == "gb2312" || charset == "gb18030" || charset == "x-gbk" ||
      charset == "cp936") {
    return decodeCharset(bytes, "GB18030");
  }
  if (charset == "utf-8" || charset == "utf8") return decodeCharset(bytes, "UTF-8");
  return decodeText(bytes);
}

struct NamedEntity {
  const char* name;
  std::uint32_t cp;
};
// The ones Chinese office pages use; nbsp becomes a plain space, which is what search wants.
constexpr std::array<NamedEntity, 28> kEntities{{
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},      {"ensp", ' '},     {"emsp", ' '},     {"thinsp", ' '},   {"copy", 0xA9},
    {"reg", 0xAE},      {"trade", 0x2122}, {"middot", 0xB7},  {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"laquo", 0xAB},    {"raquo", 0xBB},   {"times", 0xD7},   {"divide", 0xF7},  {"bull", 0x2022},
    {"yen", 0xA5},      {"deg", 0xB0},     {"sect", 0xA7},
}};

// Decodes the entity at text[pos] == '&' into out; returns the position after it, or pos + 1
// with a literal '&' when it is none we know.
std::size_t decodeEntity(std::string_view text, std::size_t pos, std::string& out) {
  // Entities are short: look for the ';' only that far. Scanning to it wherever it is made a
  // text of many '&' quadratic (16 MiB of them was hours of CPU).
  constexpr std::size_t kLongestEntity = 12;
  const std::size_t found = text.substr(pos, kLongestEntity + 1).find(';');
  const std::size_t semicolon = found == std::string_view::npos ? found : pos + found;
  if (semicolon == std::string_view::npos) {
    out += '&';
    return pos + 1;
  }
  const std::string_view body = text.substr(pos + 1, semicolon - pos - 1);
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string digits(body.substr(hex ? 2 : 1));
    if (!digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                        : "0123456789") == std::string::npos) {
      appendCodePoint(out, static_cast<std::uint32_t>(
                               std::min(std::stoull(digits, nullptr, hex ? 16 : 10), 0x110000ull)));
      return semicolon + 1;
    }
  }
  for (const auto& entity : kEntities) {
    if (body == entity.name) {
      appendCodePoint(out, entity.cp);
      return semicolon + 1;
    }
  }
  out += '&';
  return pos + 1;
}

bool isBlock(const std::string& tag) {
  static const std::array<const char*, 33> kBlocks{
      "p",    "div",     "br",      "li",      "ul",      "ol",     "tr",     "table", "h1",
      "h2",   "h3",      "h4",      "h5",      "h6",      "hr",     "title",  "pre",   "blockquote",
      "dd",   "dt",      "dl",      "section", "article", "header", "footer", "nav",   "aside",
      "form", "address", "caption", "figure",  "main",    "center"};
  return std::find(kBlocks.begin(), kBlocks.end(), tag) != kBlocks.end();
}

// Builds text the way a browser lays out inline content: runs of white space become one space,
// none at the start of a line or before a break.
class HtmlText {
 public:
  void text(std::string_view raw) {
    for (std::size_t i = 0; i < raw.size();) {
      if (raw[i] == '&') {
        std::string decoded;
        i = decodeEntity(raw, i, decoded);
        word(decoded);
      } else if (isSpace(raw[i])) {
        pendingSpace_ = true;
        ++i;
      } else {
        const std::size_t stop = raw.find_first_of("& \t\n\r\f", i);
        word(raw.substr(i, stop == std::string_view::npos ? raw.size() - i : stop - i));
        i = stop == std::string_view::npos ? raw.size() : stop;
      }
    }
  }
  // Adjacent block boundaries make one line break, as they make no empty line in a browser.
  void block() {
    pendingSpace_ = false;
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  std::string take() {
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return std::move(out_);
  }

 private:
  void word(std::string_view w) {
    if (w.empty()) return;
    if (pendingSpace_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
    pendingSpace_ = false;
    out_ += w;
  }
  std::string out_;
  bool pendingSpace_ = false;
};

std::size_t findCaseless(const std::string& lowerText, std::string_view needle, std::size_t from) {
  const std::size_t pos = lowerText.find(needle, from);
  return pos == std::string::npos ? lowerText.size() : pos;
}

// The end of the tag opening at pos ('<'), past the '>' and across quoted attribute values.
std::size_t tagEnd(std::string_view html, std::size_t pos) {
  char quote = 0;
  for (std::size_t i = pos + 1; i < html.size(); ++i) {
    if (quote) {
      if (html[i] == quote) quote = 0;
    } else if (html[i] == '"' || html[i] == '\'') {
      quote = html[i];
    } else if (html[i] == '>') {
      return i + 1;
    }
  }
  return html.size();
}

}  // namespace

std::string extractHtml(std::string_view bytes, const Deadline& deadline) {
  const std::string html = toUtf8(bytes);
  const std::string lowered = asciiLower(html);
  HtmlText out;
  std::size_t pos = 0;
  std::size_t steps = 0;
  while (pos < html.size()) {
    if ((++steps & 0xFFF) == 0) deadline.check();
    const std::size_t lt = html.find('<', pos);
    out.text(
        std::string_view(html).substr(pos, (lt == std::string::npos ? html.size() : lt) - pos));
    if (lt == std::string::npos) break;
    if (lowered.compare(lt, 4, "<!--") == 0) {
      pos = std::min(findCaseless(lowered, "-->", lt + 4) + 3, html.size());
      continue;
    }
    const bool closing = lt + 1 < html.size() && html[lt + 1] == '/';
    const std::size_t nameStart = lt + (closing ? 2 : 1);
    const bool markup =
        nameStart < html.size() &&
        (isAlpha(html[nameStart]) || html[nameStart] == '!' || html[nameStart] == '?');
    if (!markup) {  // a lone '<' in text
      out.text("<");
      pos = lt + 1;
      continue;
    }
    std::size_t nameEnd = nameStart;
    while (nameEnd < html.size() && !isSpace(html[nameEnd]) && html[nameEnd] != '>' &&
           html[nameEnd] != '/') {
      ++nameEnd;
    }
    const std::string name = lowered.substr(nameStart, nameEnd - nameStart);
    pos = tagEnd(html, lt);
    if (!closing && (name == "script" || name == "style")) {
      const std::size_t close = findCaseless(lowered, "</" + name, pos);
      pos = close < html.size() ? tagEnd(html, close) : html.size();
    } else if (isBlock(name)) {
      out.block();
    } else if (name == "td" || name == "th") {
      out.text(" ");
    }
  }
  return out.take();
}

}  // namespace gongkai::indexer::detail
