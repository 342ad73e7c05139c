#pragma once

// An item's format identification record, data/items/<档号>/formats.json: for each content file
// and each preservation rendition, what format identification (file_inspector.h) says it is, and
// which rendition stands for which original. Written by the composer from the files' bytes and
// written again by the verifier from the bytes it reads, then compared line by line: every entry
// is one line, so a difference names its file.
//
//   {"files":[
//   {"path":"files/12.docx","puid":"fmt/412","media_type":"…","version":"","name":"…",
//    "long_term":false,"rendition":"renditions/12.pdf"},
//   …
//   ],
//   "renditions":[
//   {"path":"renditions/12.pdf","rendition_of":"files/12.docx","puid":"fmt/477",…,"long_term":true}
//   ]}

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/archive/file_inspector.h"
#include "gongkai/core/result.h"

namespace gongkai::archive {

// What one file of an item is, by its path inside the item folder ("files/12.docx").
struct IdentifiedFile {
  FormatIdentification format;
  std::string inspected_format;  // FileFindings::format: decides whether a rendition is wanted
};

struct ItemFormats {
  std::map<std::string, IdentifiedFile> files;       // "files/<name>" → identification
  std::map<std::string, IdentifiedFile> renditions;  // "renditions/<id>.pdf" → identification
};

// A preservation rendition's path inside the item folder, for the bundled original "<id>.<ext>"
// (its id: the digits before the extension): "renditions/<id>.pdf".
std::string renditionPathFor(const std::string& bundledOriginal);
// The original "files/<name>" a rendition "renditions/<id>.pdf" stands for, among `files`; ""
// when none is.
std::string originalOfRendition(const std::string& renditionPath, const ItemFormats& formats);

// formats.json for the item; the same identifications give the same bytes.
std::string itemFormatsJson(const ItemFormats& formats);
// The lines of formats.json that are entries (one per file and per rendition).
std::vector<std::string> formatEntryLines(const std::string& json);

// The findings of the file at `path` read whole (name: for its extension; mediaType: as
// declared, "" for none); kIo when it cannot be read.
core::Result<FileFindings> inspectFileAt(const std::string& path, const std::string& name,
                                         const std::string& mediaType);

}  // namespace gongkai::archive
