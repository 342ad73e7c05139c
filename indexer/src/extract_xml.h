#pragma once
// A small pull scanner for the XML inside office files. It knows only what those files use:
// elements, attributes, text, CDATA and the five predefined entities plus character references.
// A DOCTYPE is refused (so no entity can be defined, let alone expanded) and nesting is bounded.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract_detail.h"

namespace gongkai::indexer::detail {

class XmlScanner {
 public:
  enum class Event { Start, End, Text, Done };

  // xml must outlive the scanner; it is converted to UTF-8 first when it declares another
  // encoding or starts with a UTF-16 byte order mark.
  XmlScanner(std::string_view xml, const Deadline& deadline);

  Event next();
  // The element's name without its namespace prefix (Start and End).
  std::string_view name() const { return name_; }
  // An attribute of the current Start element by name without prefix, decoded; "" when absent.
  std::string attribute(std::string_view localName) const;
  // The decoded character data (Text).
  const std::string& text() const { return text_; }

 private:
  Event startTag();
  Event endTag();
  void skipPast(std::string_view terminator);
  void readAttributes();

  std::string converted_;  // the document in UTF-8 when it was not
  std::string_view xml_;
  const Deadline& deadline_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t events_ = 0;
  bool pendingEnd_ = false;  // a self-closing tag still owes its End event
  std::string_view name_;
  std::string text_;
  std::vector<std::pair<std::string_view, std::string_view>> attributes_;
};

}  // namespace gongkai::indexer::detail
