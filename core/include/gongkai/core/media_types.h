#pragma once

// The file formats Gongkai knows, in one table: which media types and extensions stand for which
// format, and which type an upload gets when it came with none. The file inspector, the text
// extractor and the document service each derive their lookups from it, so that a type or an
// extension is never known to one of them under another format.

#include <array>
#include <span>
#include <string_view>

namespace gongkai::core {

struct KnownFormat {
  // What the content is, as the file inspector sniffs it: "pdf", "docx", "text", "ole", ...;
  // empty for a type that is stored but whose content nothing checks.
  std::string_view format;
  // Lower case, without parameters; empty for extensions read as `format` that get no type.
  std::string_view mediaType;
  // Lower case, without the dot; unused slots are empty.
  std::array<std::string_view, 2> extensions;
  // The type an upload with one of `extensions` and no type of its own is stored with; empty
  // when such an upload stays application/octet-stream (a type a browser might render, such as
  // SVG, is never assigned from a name).
  std::string_view assignedType;
};

// Every row, in the order the lookups search them.
std::span<const KnownFormat> knownFormats();

// The format of a media type, case-insensitive, ignoring parameters and surrounding space
// ("Text/HTML; charset=UTF-8" is "html"); empty when unknown.
std::string_view formatForMediaType(std::string_view mediaType);

// The format of an extension without its dot, case-insensitive; empty when unknown.
std::string_view formatForExtension(std::string_view extension);

// The type an upload with this extension and no type of its own gets; empty when none.
std::string_view mediaTypeAssignedTo(std::string_view extension);

}  // namespace gongkai::core
