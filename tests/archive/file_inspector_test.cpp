#include "gongkai/archive/file_inspector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace gongkai::archive {
namespace {

using namespace std::string_literals;

constexpr char kDocx[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr char kOdt[] = "application/vnd.oasis.opendocument.text";

// Feeds `bytes` in chunks of `chunk` bytes (0: all at once).
FileFindings inspect(const std::string& name, const std::string& mediaType,
                     const std::string& bytes, std::size_t chunk = 0) {
  FileInspector inspector(name, mediaType);
  if (chunk == 0) chunk = bytes.size() + 1;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    inspector.update(bytes.data() + at, std::min(chunk, bytes.size() - at));
  }
  return inspector.finish();
}

std::string codes(const std::vector<FileProblem>& problems) {
  std::string out;
  for (const FileProblem& p : problems) out += (out.empty() ? "" : ",") + p.code;
  return out;
}

// The whole finding in one line, so a failure shows everything.
std::string describe(const FileFindings& f) {
  std::string out = f.format + " usability[";
  for (const FileProblem& p : f.usability) out += p.code + ": " + p.message + "; ";
  out += "] safety[";
  for (const FileProblem& p : f.safety) out += p.code + ": " + p.message + "; ";
  return out + "]";
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

std::uint32_t crc32(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
  }
  return ~crc;
}

struct ZipEntry {
  std::string name;
  std::string data;
  std::uint16_t flags = 0;
};

// A ZIP with every entry stored: local headers, central directory, end record.
std::string makeZip(const std::vector<ZipEntry>& entries) {
  std::string out;
  std::string directory;
  for (const ZipEntry& e : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = crc32(e.data);
    const auto size = static_cast<std::uint32_t>(e.data.size());
    out += "PK\x03\x04"s;
    put16(out, 20);
    put16(out, e.flags);
    put16(out, 0);  // stored
    put32(out, 0);  // time and date
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<std::uint32_t>(e.name.size()));
    put16(out, 0);
    out += e.name + e.data;

    directory += "PK\x01\x02"s;
    put16(directory, 20);
    put16(directory, 20);
    put16(directory, e.flags);
    put16(directory, 0);
    put32(directory, 0);
    put32(directory, crc);
    put32(directory, size);
    put32(directory, size);
    put16(directory, static_cast<std::uint32_t>(e.name.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, offset);
    directory += e.name;
  }
  const auto directoryOffset = static_cast<std::uint32_t>(out.size());
  out += directory;
  out += "PK\x05\x06"s;
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, static_cast<std::uint32_t>(directory.size()));
  put32(out, directoryOffset);
  put16(out, 0);
  return out;
}

std::vector<ZipEntry> docxEntries() {
  return {{"[Content_Types].xml", "<Types/>"},
          {"_rels/.rels", "<Relationships/>"},
          {"word/document.xml", "<w:document/>"}};
}

std::vector<ZipEntry> odtEntries() {
  return {{"mimetype", kOdt},
          {"content.xml", "<office:document-content/>"},
          {"META-INF/manifest.xml", "<manifest:manifest/>"}};
}

std::string minimalPdf(const std::string& catalogExtra = "") {
  return "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"
         "1 0 obj\n<< /Type /Catalog /Pages 2 0 R " +
         catalogExtra +
         ">>\nendobj\n"
         "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
         "trailer\n<< /Root 1 0 R /Size 3 >>\nstartxref\n0\n%%EOF\n";
}

std::string pngChunk(const std::string& type, const std::string& data) {
  std::string out;
  const auto size = static_cast<std::uint32_t>(data.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xFF);
  const std::uint32_t crc = crc32(type + data);
  out += type + data;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((crc >> shift) & 0xFF);
  return out;
}

std::string minimalPng() {
  return "\x89PNG\r\n\x1a\n"s + pngChunk("IHDR", "\0\0\0\1\0\0\0\1\x08\x02\0\0\0"s) +
         pngChunk("IDAT", "x\x9c\x63\x60\x60\x60\0\0\0\x04\0\x01"s) + pngChunk("IEND", "");
}

std::string minimalJpeg() {
  return "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"s
         "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\xD2\xCF\x20"s
         "\xFF\xD9"s;
}

std::string minimalGif() {
  return "GIF89a\x01\x00\x01\x00\x80\x00\x00\xFF\xFF\xFF\x00\x00\x00"s
         "\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B"s;
}

TEST(FileInspector, MinimalPdfPasses) {
  const FileFindings f = inspect("报告.pdf", "application/pdf", minimalPdf());
  EXPECT_EQ(f.format, "pdf");
  EXPECT_TRUE(f.usability.empty()) << describe(f);
  EXPECT_TRUE(f.safety.empty()) << describe(f);
}

TEST(FileInspector, PdfDangerousNamesAreFlagged) {
  struct Case {
    std::string extra;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "javascript"},
      {"/OpenAction << /S /J#61vaScript >>", "javascript"},  // #61 is 'a'
      {"/AA << /O << /#4A#53 1 0 R >> >>", "javascript"},    // /JS fully escaped
      {"/OpenAction << /S /Launch /F (cmd.exe) >>", "launch"},
      {"/Names << /EmbeddedFiles 3 0 R >>", "embedded_file"},
      {"/Ty#70e /EmbeddedFile", "embedded_file"},
      {"/RichMedia 4 0 R", "embedded_file"},
      {"/Encrypt 5 0 R", "encrypted"},
  };
  for (const Case& c : cases) {
    const FileFindings f = inspect("a.pdf", "application/pdf", minimalPdf(c.extra));
    EXPECT_EQ(codes(f.safety), c.code) << c.extra << " → " << describe(f);
    EXPECT_TRUE(f.usability.empty()) << describe(f);
  }
}

TEST(FileInspector, PdfNamesThatOnlyResembleDangerousOnesPass) {
  // Longer names, different case and broken escapes are different names in PDF.
  const FileFindings f =
      inspect("a.pdf", "application/pdf",
              minimalPdf("/JavaScriptX 1 /javascript 2 /JSON 3 /J#6 /Launcher 4 /Encrypted 5"));
  EXPECT_TRUE(f.safety.empty()) << describe(f);
}

TEST(FileInspector, PdfCutBeforeEofIsTruncated) {
  const std::string pdf = minimalPdf("/JavaScript 1 0 R");
  const FileFindings f = inspect("a.pdf", "application/pdf", pdf.substr(0, pdf.find("%%EOF") + 3));
  EXPECT_EQ(codes(f.usability), "truncated") << describe(f);
  EXPECT_EQ(codes(f.safety), "javascript") << describe(f);  // what was seen still counts
}

TEST(FileInspector, TokensSplitAcrossTwoUpdatesAreFound) {
  const std::vector<std::pair<std::string, std::string>> samples = {
      {minimalPdf("/S /J#61vaScript"), "javascript"},
      {minimalPdf("/Encrypt 5 0 R"), "encrypted"},
  };
  for (const auto& [pdf, code] : samples) {
    for (std::size_t cut = 1; cut < pdf.size(); ++cut) {
      FileInspector inspector("a.pdf", "application/pdf");
      inspector.update(pdf.data(), cut);
      inspector.update(pdf.data() + cut, pdf.size() - cut);
      const FileFindings f = inspector.finish();
      ASSERT_EQ(codes(f.safety), code) << "cut at " << cut << ": " << describe(f);
      ASSERT_TRUE(f.usability.empty()) << "cut at " << cut << ": " << describe(f);
    }
  }
}

TEST(FileInspector, OneByteAtATimeGivesTheSameFindings) {
  struct Sample {
    std::string name, mediaType, bytes;
  };
  std::vector<ZipEntry> macro = docxEntries();
  macro.push_back({"word/vbaProject.bin", "\xD0\xCF\x11\xE0"});
  const std::vector<Sample> samples = {
      {"a.pdf", "application/pdf", minimalPdf("/JS (x) /Launch /Encrypt 1 0 R")},
      {"a.pdf", "application/pdf", minimalPdf().substr(0, 40)},
      {"a.docx", kDocx, makeZip(macro)},
      {"a.odt", kOdt, makeZip(odtEntries())},
      {"a.png", "image/png", minimalPng()},
      {"a.jpg", "image/jpeg", minimalJpeg().substr(0, 20)},
      {"a.html", "text/html", "<p>党建</p><SCRIPT>alert(1)</SCRIPT><a href='JavaScript:x'>"},
      {"a.txt", "text/plain", "党费\xE6\x94"},
      {"a.txt", "text/plain", "#!/bin/sh\nrm -rf /\n"},
      {"a", "", "\x7f\x45LF\x02\x01\x01"},
  };
  for (const Sample& s : samples) {
    const FileFindings whole = inspect(s.name, s.mediaType, s.bytes);
    const FileFindings bytewise = inspect(s.name, s.mediaType, s.bytes, 1);
    EXPECT_EQ(describe(bytewise), describe(whole)) << s.name;
  }
}

TEST(FileInspector, DocxShapedZipPasses) {
  const FileFindings f = inspect("决议.docx", kDocx, makeZip(docxEntries()));
  EXPECT_EQ(f.format, "docx");
  EXPECT_TRUE(f.usability.empty()) << describe(f);
  EXPECT_TRUE(f.safety.empty()) << describe(f);
}

TEST(FileInspector, XlsxAndPptxAreToldApart) {
  const FileFindings xlsx =
      inspect("a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              makeZip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<workbook/>"}}));
  EXPECT_EQ(xlsx.format, "xlsx");
  EXPECT_TRUE(xlsx.usability.empty()) << describe(xlsx);
  const FileFindings pptx = inspect("a.docx", kDocx,
                                    makeZip({{"[Content_Types].xml", "<Types/>"},
                                             {"ppt/presentation.xml", "<p:presentation/>"}}));
  EXPECT_EQ(pptx.format, "pptx");
  EXPECT_EQ(codes(pptx.usability), "format_mismatch") << describe(pptx);
}

TEST(FileInspector, VbaProjectIsAMacro) {
  for (const std::string name : {"word/vbaProject.bin", "xl/vbaProject2.bin", "x/VBAPROJECT.BIN"}) {
    std::vector<ZipEntry> entries = docxEntries();
    entries.push_back({name, "\xD0\xCF\x11\xE0"});
    const FileFindings f = inspect("a.docx", kDocx, makeZip(entries));
    EXPECT_EQ(codes(f.safety), "macro") << name << ": " << describe(f);
    EXPECT_TRUE(f.usability.empty()) << describe(f);
  }
}

TEST(FileInspector, EncryptedEntryIsEncrypted) {
  std::vector<ZipEntry> entries = docxEntries();
  entries[2].flags = 0x0001;
  const FileFindings f = inspect("a.docx", kDocx, makeZip(entries));
  EXPECT_EQ(codes(f.safety), "encrypted") << describe(f);
}

TEST(FileInspector, ExecutableEntryInAZipIsFlagged) {
  const FileFindings f = inspect("资料.zip", "application/zip",
                                 makeZip({{"说明.txt", "你好"}, {"工具/setup.EXE", "MZ"}}));
  EXPECT_EQ(f.format, "zip");
  EXPECT_TRUE(f.usability.empty()) << describe(f);
  EXPECT_EQ(codes(f.safety), "executable") << describe(f);
}

TEST(FileInspector, OdtWithMimetypePassesAndBasicFolderIsAMacro) {
  const FileFindings plain = inspect("a.odt", kOdt, makeZip(odtEntries()));
  EXPECT_EQ(plain.format, "odt");
  EXPECT_TRUE(plain.usability.empty()) << describe(plain);
  EXPECT_TRUE(plain.safety.empty()) << describe(plain);

  std::vector<ZipEntry> entries = odtEntries();
  entries.push_back({"Basic/Standard/Module1.xml", "<script:module/>"});
  const FileFindings macro = inspect("a.odt", kOdt, makeZip(entries));
  EXPECT_EQ(codes(macro.safety), "macro") << describe(macro);

  const FileFindings sheet =
      inspect("a.ods", "application/vnd.oasis.opendocument.spreadsheet",
              makeZip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                       {"content.xml", ""}}));
  EXPECT_EQ(sheet.format, "ods");
  EXPECT_TRUE(sheet.usability.empty()) << describe(sheet);
}

TEST(FileInspector, OfdZipPasses) {
  const std::string ofd = makeZip({{"OFD.xml", "<ofd:OFD/>"},
                                   {"Doc_0/Document.xml", "<ofd:Document/>"},
                                   {"Doc_0/Pages/Page_0/Content.xml", "<ofd:Page/>"}});
  for (const std::string mediaType : {"application/ofd", "application/vnd.ofd", ""}) {
    const FileFindings f = inspect("通知.ofd", mediaType, ofd);
    EXPECT_EQ(f.format, "ofd");
    EXPECT_TRUE(f.usability.empty()) << mediaType << ": " << describe(f);
    EXPECT_TRUE(f.safety.empty()) << describe(f);
  }
  // Any ZIP-based format is a ZIP.
  EXPECT_TRUE(inspect("a.zip", "application/zip", ofd).usability.empty());
}

TEST(FileInspector, ImagesPass) {
  const std::vector<std::pair<std::string, std::string>> images = {
      {"image/png", minimalPng()},
      {"image/jpeg", minimalJpeg()},
      {"image/gif", minimalGif()},
      {"image/tiff", "II*\0\x08\0\0\0\0\0\0\0"s},
      {"image/webp",
       "RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0"s},
      {"image/bmp", "BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0\x01\0\x18\0"s +
                        std::string(28, '\0')},
  };
  for (const auto& [mediaType, bytes] : images) {
    const FileFindings f = inspect("image", mediaType, bytes);
    EXPECT_EQ(formatForMediaType(mediaType), f.format) << mediaType;
    EXPECT_TRUE(f.usability.empty()) << mediaType << ": " << describe(f);
    EXPECT_TRUE(f.safety.empty()) << mediaType << ": " << describe(f);
  }
}

TEST(FileInspector, TruncatedImagesFail) {
  const std::string jpeg = minimalJpeg();
  const FileFindings cutJpeg = inspect("a.jpg", "image/jpeg", jpeg.substr(0, jpeg.size() - 1));
  EXPECT_EQ(cutJpeg.format, "jpeg");
  EXPECT_EQ(codes(cutJpeg.usability), "truncated") << describe(cutJpeg);
  // Zero padding after the end marker still opens.
  EXPECT_TRUE(inspect("a.jpg", "image/jpeg", jpeg + std::string(5, '\0')).usability.empty());

  const std::string png = minimalPng();
  const FileFindings cutPng = inspect("a.png", "image/png", png.substr(0, png.size() - 4));
  EXPECT_EQ(codes(cutPng.usability), "truncated") << describe(cutPng);
}

TEST(FileInspector, ExecutablesAndScriptsAreFlaggedWhateverIsDeclared) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\x7f\x45LF\x02\x01\x01\0\0\0\0\0\0\0\0\0"s, "executable"},
      {"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0"s, "executable"},
      {"\xcf\xfa\xed\xfe\x07\0\0\x01"s, "executable"},
      {"#!/bin/sh\necho 党建\n", "script"},
  };
  for (const auto& [bytes, code] : cases) {
    const FileFindings f = inspect("总结.pdf", "application/pdf", bytes);
    EXPECT_EQ(codes(f.safety), code) << describe(f);
    EXPECT_EQ(codes(f.usability), "format_mismatch") << describe(f);
  }
  // A script declared as text opens as text, but is still a script.
  const FileFindings script = inspect("run.txt", "text/plain", "#!/usr/bin/python3\nprint(1)\n");
  EXPECT_EQ(script.format, "text");
  EXPECT_TRUE(script.usability.empty()) << describe(script);
  EXPECT_EQ(codes(script.safety), "script");
}

TEST(FileInspector, DangerousExtensionsAreFlagged) {
  EXPECT_EQ(codes(inspect("setup.exe", "application/pdf", minimalPdf()).safety), "executable");
  EXPECT_EQ(codes(inspect("a.pdf.EXE. ", "", minimalPdf()).safety), "executable");
  EXPECT_EQ(codes(inspect("tool.js", "text/plain", "alert(1)").safety), "script");
  EXPECT_EQ(codes(inspect("install.PS1", "text/plain", "Write-Host").safety), "script");
  EXPECT_TRUE(inspect("js.txt", "text/plain", "ok").safety.empty());
}

TEST(FileInspector, OleContainerIsFlagged) {
  const std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(504, '\0');
  const FileFindings encrypted = inspect("a.docx", kDocx, ole);
  EXPECT_EQ(encrypted.format, "ole");
  EXPECT_EQ(codes(encrypted.safety), "ole_container") << describe(encrypted);
  EXPECT_EQ(codes(encrypted.usability), "format_mismatch") << describe(encrypted);
  const FileFindings legacy = inspect("a.doc", "application/msword", ole);
  EXPECT_TRUE(legacy.usability.empty()) << describe(legacy);
  EXPECT_EQ(codes(legacy.safety), "ole_container");
}

TEST(FileInspector, ScriptInMarkupIsFoundAcrossChunks) {
  const std::string html =
      "<!DOCTYPE html>\n<html><body><p>支部大会</p><SCRIPT src=x.js></SCRIPT></body></html>";
  const std::size_t tag = html.find("<SCRIPT");
  for (std::size_t cut = tag; cut <= tag + 7; ++cut) {
    FileInspector inspector("a.html", "text/html");
    inspector.update(html.data(), cut);
    inspector.update(html.data() + cut, html.size() - cut);
    const FileFindings f = inspector.finish();
    EXPECT_EQ(f.format, "html");
    EXPECT_TRUE(f.usability.empty()) << describe(f);
    EXPECT_EQ(codes(f.safety), "script") << "cut at " << cut;
  }
  EXPECT_EQ(codes(inspect("a.svg", "image/svg+xml",
                          "<?xml version='1.0'?><svg><svg:script>x</svg:script></svg>")
                      .safety),
            "script");
  EXPECT_EQ(codes(inspect("a.html", "", "<a href=\"JAVASCRIPT:alert(1)\">x</a>").safety), "script");
  // Markup in another encoding is still markup to a browser.
  EXPECT_EQ(codes(inspect("a.htm", "", "<p>\xB5\xB3</p><script>x</script>").safety), "script");
  // Plain text may talk about scripts.
  const FileFindings text = inspect("a.txt", "text/plain", "用 <script> 标签和 javascript: 链接");
  EXPECT_EQ(text.format, "text");
  EXPECT_TRUE(text.safety.empty()) << describe(text);
  EXPECT_TRUE(inspect("a.html", "text/html", "<p>description <scrip t></p>").safety.empty());
}

// The scanner skips text that cannot start markup or "javascript:" eight bytes at a time: a
// pattern at any offset of a long Chinese text, cut anywhere, after near misses, is still found.
TEST(FileInspector, ScriptInMarkupIsFoundAtAnyOffsetOfLongText) {
  const std::string filler = "党支部组织生活会情况通报，j<p>jav<i>javascript；";
  for (const std::string pattern : {"<ScRiPt>", "<svg:script ", "jJavaScript:", "JAVASCRIPT:"}) {
    for (std::size_t offset = 0; offset < 17; ++offset) {
      const std::string html =
          "<html><body>" + filler + std::string(offset, 'x') + pattern + filler + "</body></html>";
      const std::size_t at = html.find(pattern);
      for (std::size_t cut = at - 9; cut <= at + pattern.size() + 9; cut += 3) {
        FileInspector inspector("a.html", "text/html");
        inspector.update(html.data(), cut);
        inspector.update(html.data() + cut, html.size() - cut);
        const FileFindings f = inspector.finish();
        ASSERT_EQ(codes(f.safety), "script") << pattern << " at " << offset << ", cut at " << cut;
      }
    }
  }
  const std::string clean = "<html><body>" + filler + filler + "</body></html>";
  EXPECT_TRUE(inspect("a.html", "text/html", clean).safety.empty());
}

TEST(FileInspector, TextMustBeUtf8WithoutNul) {
  const std::string valid = "中国共产党党员发展公示\n";
  for (std::size_t cut = 1; cut < valid.size(); ++cut) {
    FileInspector inspector("a.txt", "text/plain");
    inspector.update(valid.data(), cut);
    inspector.update(valid.data() + cut, valid.size() - cut);
    const FileFindings f = inspector.finish();
    ASSERT_EQ(f.format, "text") << "cut at " << cut;
    ASSERT_TRUE(f.usability.empty()) << "cut at " << cut << ": " << describe(f);
  }
  const std::vector<std::string> invalid = {
      "\xD6\xD0\xB9\xFA",  // GBK
      "abc\xE4\xB8",       // sequence cut at the end
      "\xC0\xAF",          // overlong '/'
      "\xED\xA0\x80",      // surrogate
      "\xF4\x90\x80\x80",  // past U+10FFFF
      "\xFF\xFE\x41\x00",  // UTF-16 with a BOM
  };
  for (const std::string& bytes : invalid) {
    const FileFindings f = inspect("a.csv", "text/csv", bytes);
    EXPECT_EQ(codes(f.usability), "not_utf8") << describe(f);
  }
  EXPECT_EQ(codes(inspect("a.txt", "", "abc\0def"s).usability), "nul_byte");
  EXPECT_EQ(inspect("a.json", "application/json", "\xEF\xBB\xBF{\"a\":1}").format, "text");
}

TEST(FileInspector, DeclaredTypeMustMatchTheContent) {
  const FileFindings f = inspect("照片.pdf", "application/pdf", minimalPng());
  EXPECT_EQ(f.format, "png");
  ASSERT_EQ(codes(f.usability), "format_mismatch") << describe(f);
  EXPECT_NE(f.usability[0].message.find("png"), std::string::npos) << f.usability[0].message;
  EXPECT_NE(f.usability[0].message.find("application/pdf"), std::string::npos)
      << f.usability[0].message;
  // With no media type the extension decides.
  EXPECT_EQ(codes(inspect("照片.jpg", "", minimalPng()).usability), "format_mismatch");
  EXPECT_TRUE(inspect("照片.png", "", minimalPng()).usability.empty());
  EXPECT_TRUE(inspect("照片.jpg", "IMAGE/PNG; q=1", minimalPng()).usability.empty());
  EXPECT_EQ(codes(inspect("数据.dat", "application/octet-stream", minimalPng()).usability),
            "unknown_format");
  EXPECT_EQ(codes(inspect("a.pdf", "application/pdf", "").usability), "empty");
  EXPECT_EQ(codes(inspect("a.pdf", "application/pdf", "just text").usability), "format_mismatch");
}

TEST(FileInspector, FormatForMediaType) {
  EXPECT_EQ(formatForMediaType("application/pdf"), "pdf");
  EXPECT_EQ(formatForMediaType("application/vnd.ofd"), "ofd");
  EXPECT_EQ(formatForMediaType(kDocx), "docx");
  EXPECT_EQ(formatForMediaType("application/vnd.oasis.opendocument.presentation"), "odp");
  EXPECT_EQ(formatForMediaType("Text/HTML; charset=UTF-8"), "html");
  EXPECT_EQ(formatForMediaType("text/markdown"), "text");
  EXPECT_EQ(formatForMediaType("text/xml"), "xml");
  EXPECT_EQ(formatForMediaType("application/octet-stream"), "");
  EXPECT_EQ(formatForMediaType(""), "");
}

TEST(FileInspector, GarbageZipDirectoriesAreUsabilityProblems) {
  std::mt19937 random(20240701);
  std::string garbage = "PK\x03\x04"s;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>(random());
  const FileFindings noEnd = inspect("a.docx", kDocx, garbage);
  EXPECT_EQ(codes(noEnd.usability), "truncated") << describe(noEnd);

  // An end record whose directory would lie past the end of the file.
  std::string outside = makeZip(docxEntries());
  outside.replace(outside.size() - 6, 4, "\xF0\xFF\xFF\x7F"s);
  const FileFindings f = inspect("a.docx", kDocx, outside);
  EXPECT_EQ(codes(f.usability), "zip_directory_unreadable") << describe(f);

  // A directory entry whose name runs past the directory.
  std::string overrun = makeZip(docxEntries());
  const std::size_t lastEntry = overrun.rfind("PK\x01\x02"s);
  overrun.replace(lastEntry + 28, 2, "\xFF\xFF"s);
  EXPECT_EQ(codes(inspect("a.docx", kDocx, overrun).usability), "zip_directory_unreadable");

  // Random damage anywhere must give findings, never a crash or an exception. Both outcomes must
  // occur, or the damage never reached the directory parser.
  const std::string docx = makeZip(docxEntries());
  int passed = 0;
  int unreadable = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string damaged = docx;
    const int hits = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < hits; ++i) {
      damaged[4 + random() % (damaged.size() - 4)] = static_cast<char>(random());
    }
    if (round % 3 == 0) damaged.resize(4 + random() % (damaged.size() - 4));
    FileFindings found;
    ASSERT_NO_THROW(found = inspect("a.docx", kDocx, damaged, 1 + round % 7)) << round;
    ASSERT_FALSE(found.format.empty());
    if (found.usability.empty()) ++passed;
    if (!found.usability.empty() && found.usability[0].code == "zip_directory_unreadable") {
      ++unreadable;
    }
  }
  EXPECT_GT(passed, 100);
  EXPECT_GT(unreadable, 100);
}

// The same ZIP with a ZIP64 end record, as writers emit for large archives.
std::string toZip64(const std::string& zip) {
  const std::size_t end = zip.size() - 22;
  const std::string entries = zip.substr(end + 10, 2);
  const std::string directorySize = zip.substr(end + 12, 4);
  const std::string directoryOffset = zip.substr(end + 16, 4);
  std::string out = zip.substr(0, end);
  const auto record = static_cast<std::uint32_t>(out.size());
  out += "PK\x06\x06"s;
  put32(out, 44);  // size of the rest of the record
  put32(out, 0);
  put16(out, 45);
  put16(out, 45);
  put32(out, 0);  // this disk
  put32(out, 0);  // directory disk
  for (int i = 0; i < 2; ++i) out += entries + std::string(6, '\0');
  out += directorySize + std::string(4, '\0');
  out += directoryOffset + std::string(4, '\0');
  out += "PK\x06\x07"s;
  put32(out, 0);
  put32(out, record);
  put32(out, 0);
  put32(out, 1);
  out += "PK\x05\x06"s;
  put32(out, 0);
  put32(out, 0xFFFFFFFF);
  put32(out, 0xFFFFFFFF);
  put32(out, 0xFFFFFFFF);
  put16(out, 0);
  return out;
}

TEST(FileInspector, Zip64EndRecordIsRead) {
  std::vector<ZipEntry> entries = docxEntries();
  entries.push_back({"word/vbaProject.bin", "x"});
  const FileFindings f = inspect("a.docx", kDocx, toZip64(makeZip(entries)));
  EXPECT_EQ(f.format, "docx");
  EXPECT_TRUE(f.usability.empty()) << describe(f);
  EXPECT_EQ(codes(f.safety), "macro") << describe(f);
}

TEST(FileInspector, ZipDirectoryBeyondTheLastMebibyteIsUnreadable) {
  std::vector<ZipEntry> entries = docxEntries();
  for (int i = 0; i < 20000; ++i)
    entries.push_back({"word/media/image" + std::to_string(i) + ".png", ""});
  const FileFindings f = inspect("a.docx", kDocx, makeZip(entries));
  EXPECT_EQ(codes(f.usability), "zip_directory_unreadable") << describe(f);
}

TEST(FileInspector, FiftyMegabyteStreamIsScannedEverywhere) {
  // The JavaScript sits well past the kept head and before the kept tail, so only the streaming
  // scan can see it.
  FileInspector inspector("大文件.pdf", "application/pdf");
  const std::string start = "%PDF-1.7\n";
  inspector.update(start.data(), start.size());
  const std::string filler(1024 * 1024, 'x');
  for (int i = 0; i < 50; ++i) {
    inspector.update(filler.data(), filler.size());
    if (i == 25) {
      const std::string action = "\n<< /S /JavaScript /JS (app.alert(1)) >>\n";
      inspector.update(action.data(), action.size());
    }
  }
  const std::string end = "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  inspector.update(end.data(), end.size());
  const FileFindings f = inspector.finish();
  EXPECT_EQ(f.format, "pdf");
  EXPECT_TRUE(f.usability.empty()) << describe(f);
  EXPECT_EQ(codes(f.safety), "javascript") << describe(f);

  // A ZIP whose directory follows megabytes of stored data: only the tail is needed.
  std::vector<ZipEntry> entries = docxEntries();
  entries.push_back({"word/media/scan.png", std::string(8 * 1024 * 1024, 'p')});
  entries.push_back({"word/vbaProject.bin", "x"});
  // Odd chunk sizes wrap the kept tail around its ring at different places.
  const std::string zip = makeZip(entries);
  for (const std::size_t chunk :
       {std::size_t{1} << 20, std::size_t{65537}, std::size_t{999983}, zip.size() - 100}) {
    const FileFindings big = inspect("a.docx", kDocx, zip, chunk);
    EXPECT_EQ(big.format, "docx") << chunk;
    EXPECT_TRUE(big.usability.empty()) << chunk << ": " << describe(big);
    EXPECT_EQ(codes(big.safety), "macro") << chunk << ": " << describe(big);
  }
}

TEST(FileInspector, FinishTwiceGivesTheSameFindings) {
  FileInspector inspector("a.pdf", "application/pdf");
  const std::string pdf = minimalPdf("/JS 1");
  inspector.update(pdf.data(), pdf.size());
  const FileFindings first = inspector.finish();
  inspector.update("junk", 4);
  EXPECT_EQ(describe(inspector.finish()), describe(first));
}

// Format identification, on real files (tests/data/formats/README.md says how each was made).
namespace identification {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(GONGKAI_TEST_DATA_DIR) + "/formats/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << name;
  return bytes.str();
}

// The identification of a fixture, read in chunks of `chunk` bytes.
FormatIdentification identify(const std::string& name, const std::string& mediaType,
                              std::size_t chunk = 0) {
  const std::string bytes = fixture(name);
  EXPECT_FALSE(bytes.empty()) << name;
  return inspect(name, mediaType, bytes, chunk).identification;
}

}  // namespace identification

TEST(FormatIdentification, RealOfficeFilesArePronomFormats) {
  using identification::identify;
  const FormatIdentification docx = identify("notice.docx", kDocx);
  EXPECT_EQ(docx.puid, "fmt/412");
  EXPECT_EQ(docx.media_type, kDocx);
  EXPECT_FALSE(docx.long_term);
  const FormatIdentification doc = identify("notice.doc", "application/msword");
  EXPECT_EQ(doc.puid, "fmt/40") << describeFormat(doc);
  EXPECT_EQ(doc.media_type, "application/msword");
  EXPECT_EQ(doc.version, "97-2003");
  const FormatIdentification odt = identify("notice.odt", kOdt);
  EXPECT_EQ(odt.puid, "");  // the ODF version is in a compressed entry, not read
  EXPECT_EQ(odt.media_type, kOdt);
  const FormatIdentification text = identify("notice.txt", "text/plain");
  EXPECT_EQ(text.puid, "x-fmt/111");
  EXPECT_EQ(text.media_type, "text/plain");
  EXPECT_TRUE(wantsPreservationRendition("docx"));
  EXPECT_TRUE(wantsPreservationRendition("ole"));
  EXPECT_TRUE(wantsPreservationRendition("odt"));
  EXPECT_FALSE(wantsPreservationRendition("pdf"));
  EXPECT_FALSE(wantsPreservationRendition("text"));
}

TEST(FormatIdentification, PdfVersionFromTheHeaderAndPdfaFromTheXmpClaim) {
  using identification::identify;
  const FormatIdentification plain = identify("notice.pdf", "application/pdf");
  EXPECT_EQ(plain.puid, "fmt/20") << describeFormat(plain);  // PDF 1.6
  EXPECT_EQ(plain.version, "1.6");
  EXPECT_FALSE(plain.long_term);
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    const FormatIdentification a2b = identify("notice-pdfa-2b.pdf", "application/pdf", chunk);
    EXPECT_EQ(a2b.puid, "fmt/477") << chunk << ": " << describeFormat(a2b);
    EXPECT_EQ(a2b.version, "2b");
    EXPECT_TRUE(a2b.long_term);
    const FormatIdentification a1a = identify("notice-pdfa-1a.pdf", "application/pdf", chunk);
    EXPECT_EQ(a1a.puid, "fmt/95") << chunk << ": " << describeFormat(a1a);
    EXPECT_EQ(a1a.version, "1a");
  }
  EXPECT_EQ(describeFormat(identify("notice-pdfa-2b.pdf", "application/pdf")),
            "fmt/477 application/pdf 2b (Acrobat PDF/A - Portable Document Format)");
}

TEST(FormatIdentification, PdfaClaimInAttributeFormAndCutAtTheVeryEnd) {
  // rdf:Description attributes, the form other writers use; and a claim in the last bytes.
  const std::string attributes =
      "%PDF-1.7\n1 0 obj<</Type/Metadata>>stream\n<rdf:Description pdfaid:part = '3' "
      "pdfaid:conformance=\"u\"/>\nendstream\nendobj\n%%EOF\n";
  const FormatIdentification a3u = inspect("a.pdf", "application/pdf", attributes).identification;
  EXPECT_EQ(a3u.puid, "fmt/481") << describeFormat(a3u);
  const std::string atEnd = "%PDF-1.4\n%%EOF\n<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B<";
  EXPECT_EQ(inspect("b.pdf", "application/pdf", atEnd, 5).identification.puid, "fmt/354");
  // An unknown level is no claim: the PDF is told by its header.
  const std::string odd = "%PDF-1.4\n<pdfaid:part>9</pdfaid:part>\n%%EOF\n";
  EXPECT_EQ(inspect("c.pdf", "application/pdf", odd).identification.puid, "fmt/18");
}

TEST(FormatIdentification, OfdByItsZipLayoutIsLongTerm) {
  const FormatIdentification ofd = identification::identify("notice.ofd", "application/ofd");
  EXPECT_EQ(ofd.media_type, "application/ofd");
  EXPECT_EQ(ofd.puid, "");  // PRONOM has no OFD entry
  EXPECT_TRUE(ofd.long_term);
  EXPECT_FALSE(wantsPreservationRendition("ofd"));
}

TEST(FormatIdentification, ImagesAndMarkupByTheirHeaders) {
  const auto id = [](const std::string& name, const std::string& bytes) {
    return inspect(name, "", bytes).identification;
  };
  std::string jfif =
      "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x02"s + std::string(20, '\0') + "\xFF\xD9";
  EXPECT_EQ(id("a.jpg", jfif).puid, "fmt/44");
  EXPECT_EQ(id("a.jpg", jfif).version, "1.02");
  EXPECT_EQ(id("a.gif", "GIF87a"s + std::string(40, '\0')).puid, "fmt/3");
  EXPECT_EQ(id("a.gif", "GIF89a"s + std::string(40, '\0')).puid, "fmt/4");
  std::string bmp = "BM"s + std::string(12, '\0');
  put32(bmp, 40);
  bmp += std::string(40, '\0');
  EXPECT_EQ(id("a.bmp", bmp).puid, "fmt/116");
  EXPECT_EQ(id("a.webp", "RIFF\x10\0\0\0WEBPVP8L"s + std::string(20, '\0')).puid, "fmt/567");
  EXPECT_EQ(id("a.html", "<!DOCTYPE html>\n<html><body>通知</body></html>\n").puid, "fmt/471");
  EXPECT_EQ(id("a.xml", "<?xml version=\"1.0\"?>\n<a>通知</a>\n").puid, "fmt/101");
  const FormatIdentification unknown =
      id("a.bin", std::string("\xC0\xC1\xF5\xFF", 4) + std::string(40, '\x80'));
  EXPECT_EQ(unknown.puid, "");
  EXPECT_EQ(unknown.media_type, "application/octet-stream");
}

}  // namespace
}  // namespace gongkai::archive
