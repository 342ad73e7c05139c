// Text extraction: every format, the encodings Chinese offices use, the limits (zip bombs,
// entry counts, truncation, time) and the isolated runner. Fixtures are built here: zips with
// libarchive, PDFs written out with their xref table; only the encrypted PDF is a kept file.
#include "gongkai/indexer/extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace gongkai::indexer {
namespace {

using testing::TempDir;
using testing::writeFile;

const std::string kTitle = "党务公开工作情况汇报";
const std::string kSentence =
    "按照连发[2010]37号《中共连云港市委关于实行党务公开的意见》的精神要求";
const std::string kDuty = "党风廉政建设责任制";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- fixtures ---------------------------------------------------------------------------------

std::string toCharset(const std::string& utf8, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t length =
      ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                   static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

struct ZipEntry {
  std::string name;
  std::string data;
  bool store = false;  // ODT wants its mimetype uncompressed
};

// A zip written by libarchive, as real office suites write them.
std::string makeZip(const std::vector<ZipEntry>& entries) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                            archive_write_free);
  archive_write_set_format_zip(a.get());
  std::vector<char> buffer(1 << 20);
  std::size_t used = 0;
  if (archive_write_open_memory(a.get(), buffer.data(), buffer.size(), &used) != ARCHIVE_OK) {
    throw std::runtime_error("archive_write_open_memory");
  }
  for (const auto& e : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.data.size()));
    if (e.store) {
      archive_write_zip_set_compression_store(a.get());
    } else {
      archive_write_zip_set_compression_deflate(a.get());
    }
    archive_write_header(a.get(), entry.get());
    archive_write_data(a.get(), e.data.data(), e.data.size());
  }
  archive_write_close(a.get());
  return std::string(buffer.data(), used);
}

// A zip whose one entry (name) is `megabytes` MB of zeros, written in pieces so the test never
// holds the expanded data.
void writeZerosZip(const std::string& path, const std::string& name, std::size_t megabytes) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                            archive_write_free);
  archive_write_set_format_zip(a.get());
  archive_write_set_options(a.get(), "zip:compression-level=1");
  ASSERT_EQ(archive_write_open_filename(a.get(), path.c_str()), ARCHIVE_OK);
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                      archive_entry_free);
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(megabytes) << 20);
  ASSERT_EQ(archive_write_header(a.get(), entry.get()), ARCHIVE_OK);
  const std::string zeros(1 << 20, '\0');
  for (std::size_t i = 0; i < megabytes; ++i)
    archive_write_data(a.get(), zeros.data(), zeros.size());
  ASSERT_EQ(archive_write_close(a.get()), ARCHIVE_OK);
}

std::string docxDocument(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)" +
         body + "</w:body></w:document>";
}

std::string makeDocx(const std::string& documentXml) {
  return makeZip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><Types )"
       R"(xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Override PartName="/word/document.xml" )"
       R"(ContentType="application/vnd.openxmlformats-officedocument.)"
       R"(wordprocessingml.document.main+xml"/></Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?><Relationships )"
       R"(xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" )"
       R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/)"
       R"(officeDocument" Target="word/document.xml"/></Relationships>)"},
      {"word/document.xml", documentXml},
  });
}

// Title; then a paragraph with tab stops defined (not text), a tab and a break in its runs.
std::string sampleDocx() {
  return makeDocx(
      docxDocument("<w:p><w:r><w:t>" + kTitle +
                   "</w:t></w:r></w:p>"
                   R"(<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>)"
                   "<w:r><w:t xml:space=\"preserve\">" +
                   kSentence.substr(0, 6) +
                   "</w:t></w:r>"
                   "<w:r><w:t>" +
                   kSentence.substr(6) +
                   "</w:t><w:tab/><w:t>&lt;一&gt;</w:t><w:br/>"
                   "<w:t>" +
                   kDuty + "</w:t></w:r></w:p>"));
}

std::string sampleOdt() {
  const std::string content =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
      R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">)"
      R"(<office:body><office:text>)"
      "<text:h text:outline-level=\"1\">" +
      kTitle +
      "</text:h>"
      "<text:p>" +
      kSentence +
      "<text:s text:c=\"3\"/>甲<text:tab/>乙<text:line-break/>"
      "<text:span text:style-name=\"T1\">" +
      kDuty +
      "</text:span></text:p>"
      "</office:text></office:body></office:document-content>";
  return makeZip({
      {"mimetype", "application/vnd.oasis.opendocument.text", true},
      {"META-INF/manifest.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><manifest:manifest )"
       R"(xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>)"},
      {"content.xml", content},
  });
}

// One OFD page: each line one TextObject at its own height.
std::string ofdPage(const std::vector<std::string>& lines) {
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">)"
      R"(<ofd:Content><ofd:Layer ID="2">)";
  int id = 10;
  double y = 20;
  for (const auto& line : lines) {
    // Two objects on the same baseline: one line of text.
    std::size_t cut = line.size() / 2;
    while (cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) ++cut;
    const std::string half = line.substr(0, cut);
    for (const auto& part : {half, line.substr(half.size())}) {
      xml += "<ofd:TextObject ID=\"" + std::to_string(id++) + "\" Boundary=\"20 " +
             std::to_string(y) +
             " 170 8\" Font=\"3\" Size=\"4.2\"><ofd:TextCode X=\"0\" Y=\"6\" "
             "DeltaX=\"g 3 4.2\">" +
             part + "</ofd:TextCode></ofd:TextObject>";
    }
    y += 10;
  }
  return xml + "</ofd:Layer></ofd:Content></ofd:Page>";
}

// Twelve pages, Page_0 to Page_11, so that Page_10 sorts after Page_9; stored out of order.
std::string sampleOfd() {
  std::vector<ZipEntry> entries = {
      {"OFD.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" )"
       R"(Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID>)"
       R"(</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>)"},
      {"Doc_0/Document.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><ofd:Document )"
       R"(xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" )"
       R"(BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>)"},
  };
  for (int page : {10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
    std::vector<std::string> lines = {"第" + std::to_string(page + 1) + "页"};
    if (page == 0) lines = {kTitle, kSentence};
    if (page == 11) lines = {kDuty};
    entries.push_back(
        {"Doc_0/Pages/Page_" + std::to_string(page) + "/Content.xml", ofdPage(lines)});
  }
  return makeZip(entries);
}

// ---- a PDF with Chinese text: a Type0 font, Identity-H, and a ToUnicode map ------------------

std::u16string toUtf16(const std::string& utf8) {
  std::u16string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const int length = c < 0x80 ? 1 : c < 0xE0 ? 2 : 3;  // the test texts are all in the BMP
    char32_t cp = length == 1 ? c : length == 2 ? (c & 0x1F) : (c & 0x0F);
    for (int k = 1; k < length; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out += static_cast<char16_t>(cp);
    i += length;
  }
  return out;
}

std::string hex4(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04X", value);
  return text;
}

std::string toUnicodeCMap(const std::vector<std::string>& texts) {
  std::map<char16_t, bool> used;
  for (const auto& text : texts) {
    for (char16_t c : toUtf16(text)) used[c] = true;
  }
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<char16_t> codes;
  for (const auto& [c, _] : used) codes.push_back(c);
  for (std::size_t i = 0; i < codes.size(); i += 100) {
    const std::size_t n = std::min<std::size_t>(100, codes.size() - i);
    cmap += std::to_string(n) + " beginbfchar\n";
    for (std::size_t k = i; k < i + n; ++k)
      cmap += "<" + hex4(codes[k]) + "> <" + hex4(codes[k]) + ">\n";
    cmap += "endbfchar\n";
  }
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

std::string stream(const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

// Pages of lines; character codes are the UTF-16 units, which the ToUnicode map sends to
// themselves. The font is not embedded: text extraction needs none.
std::string makePdf(const std::vector<std::vector<std::string>>& pages) {
  std::vector<std::string> all;
  for (const auto& page : pages) all.insert(all.end(), page.begin(), page.end());
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "",  // the page tree, once the pages are numbered
      "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
      "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry "
      "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>",
      stream(toUnicodeCMap(all)),
      "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] "
      "/ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>",
  };
  std::string kids;
  for (const auto& page : pages) {
    std::string content = "BT /F1 12 Tf 72 770 Td 14 TL\n";
    for (const auto& line : page) {
      content += "<";
      for (char16_t c : toUtf16(line)) content += hex4(c);
      content += "> Tj T*\n";
    }
    content += "ET";
    const std::size_t pageId = objects.size() + 1;
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
        "<< /F1 3 0 R >> >> /Contents " +
        std::to_string(pageId + 1) + " 0 R >>");
    objects.push_back(stream(content));
    kids += std::to_string(pageId) + " 0 R ";
  }
  objects[1] =
      "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  return pdf + "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

std::string samplePdf() { return makePdf({{kTitle, kSentence}, {kDuty}}); }

// ---- helpers ---------------------------------------------------------------------------------

class ExtractTest : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ / name;
    writeFile(path, bytes);
    return path;
  }
  Extraction extract(const std::string& name, const std::string& bytes,
                     std::string_view mediaType = "", const ExtractionLimits& limits = {}) {
    return extractFile(file(name, bytes), mediaType, name, limits);
  }
  TempDir dir_;
};

void expectOk(const Extraction& result, const std::string& format) {
  EXPECT_TRUE(result.ok) << result.error_code << ": " << result.message;
  EXPECT_EQ(result.format, format);
  EXPECT_FALSE(result.truncated);
}

void expectError(const Extraction& result, const std::string& code) {
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error_code, code) << result.message;
  EXPECT_FALSE(result.message.empty());
  EXPECT_TRUE(result.text.empty());
}

bool validUtf8(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open("UTF-8", &status), ucnv_close);
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::u16string out(text.size() + 1, u'\0');
  ucnv_toUChars(conv.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                static_cast<int32_t>(text.size()), &status);
  return U_SUCCESS(status);
}

// ---- detection -------------------------------------------------------------------------------

TEST(DetectFormatTest, MagicBytesWinOverNameAndMediaType) {
  EXPECT_EQ(detectFormat("%PDF-1.7\n", "text/plain", "a.txt"), "pdf");
  EXPECT_EQ(detectFormat(sampleDocx(), "application/octet-stream", "upload"), "docx");
  EXPECT_EQ(detectFormat(sampleOdt(), "", ""), "odt");
  EXPECT_EQ(detectFormat(sampleOfd(), "", "x.bin"), "ofd");
}

TEST(DetectFormatTest, MediaTypeThenExtension) {
  EXPECT_EQ(detectFormat(kTitle, "text/html; charset=utf-8", "a.txt"), "html");
  EXPECT_EQ(detectFormat(kTitle, "application/octet-stream", "通知.TXT"), "text");
  EXPECT_EQ(detectFormat("junk", "application/ofd", "x"), "ofd");
  EXPECT_EQ(detectFormat("junk", "", "scan.pdf"), "pdf");
}

TEST(DetectFormatTest, BinaryIsNoneOfOurs) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  EXPECT_EQ(detectFormat(png, "image/png", "photo.png"), "");
  EXPECT_EQ(detectFormat(png, "text/plain", "photo.txt"), "");
  EXPECT_EQ(detectFormat(std::string("MZ\x90\0\3\0", 6), "", "setup.exe"), "");
}

// ---- plain text and HTML ---------------------------------------------------------------------

TEST_F(ExtractTest, PlainTextInUtf8WithAndWithoutBom) {
  auto plain = extract("a.txt", kTitle + "\n" + kSentence);
  expectOk(plain, "text");
  EXPECT_EQ(plain.text, kTitle + "\n" + kSentence);
  EXPECT_EQ(extract("b.txt", "\xEF\xBB\xBF" + kTitle).text, kTitle);
}

TEST_F(ExtractTest, PlainTextInGbkAndGb18030) {
  const std::string gbk = toCharset(kTitle + "\r\n" + kSentence, "GBK");
  ASSERT_NE(gbk, kTitle + "\r\n" + kSentence);
  auto result = extract("gbk.txt", gbk, "text/plain");
  expectOk(result, "text");
  EXPECT_EQ(result.text, kTitle + "\r\n" + kSentence);
  // GB18030 beyond GBK: a character from CJK extension B (four bytes).
  const std::string rare = "𠀀" + kDuty;
  EXPECT_EQ(extract("gb18030.txt", toCharset(rare, "GB18030")).text, rare);
}

TEST_F(ExtractTest, PlainTextInUtf16WithBom) {
  EXPECT_EQ(extract("le.txt", "\xFF\xFE" + toCharset(kDuty, "UTF-16LE")).text, kDuty);
  EXPECT_EQ(extract("be.txt", "\xFE\xFF" + toCharset(kDuty, "UTF-16BE")).text, kDuty);
}

TEST_F(ExtractTest, UndecodableBytesBecomeReplacementCharacters) {
  auto result = extract("bad.txt", "abc\xFF" + std::string("def"));
  expectOk(result, "text");
  EXPECT_EQ(result.text,
            "abc\xEF\xBF\xBD"
            "def");
  // UTF-8 text with one stray byte stays UTF-8 rather than turning into GB mojibake.
  EXPECT_EQ(extract("stray.txt", kTitle + "\xFF" + kDuty).text, kTitle + "\xEF\xBF\xBD" + kDuty);
}

TEST_F(ExtractTest, HtmlInGbkWithMetaCharset) {
  const std::string html =
      "<!DOCTYPE html><html><head>"
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
      "<title>" +
      kTitle +
      "</title><style>p { color: red }</style>"
      "<script>var s = \"<p>脚本内容</p>\";</script></head><body>"
      "<!-- 注释内容 --><h1>" +
      kDuty +
      "</h1>"
      "<p>" +
      kSentence +
      "&nbsp;&amp;&#x4E2D;&#22269;&lt;b&gt;</p>"
      "<div>第一行<br>第二行</div><table><tr><td>甲</td><td>乙</td></tr></table></body></html>";
  auto result = extract("notice.html", toCharset(html, "GBK"));
  expectOk(result, "html");
  EXPECT_EQ(result.text,
            kTitle + "\n" + kDuty + "\n" + kSentence + " &中国<b>\n第一行\n第二行\n甲 乙");
  EXPECT_FALSE(contains(result.text, "脚本")) << result.text;
  EXPECT_FALSE(contains(result.text, "注释")) << result.text;
  EXPECT_FALSE(contains(result.text, "color")) << result.text;
}

TEST_F(ExtractTest, HtmlWithoutCharsetFallsBackLikePlainText) {
  const std::string html = "<html><body><p>" + kSentence + "</p></body></html>";
  EXPECT_EQ(extract("a.htm", toCharset(html, "GBK")).text, kSentence);
  EXPECT_EQ(extract("b.htm", html).text, kSentence);
}

TEST_F(ExtractTest, HtmlOfManyAmpersandsIsReadInLinearTime) {
  // Each '&' once looked for its ';' to the end of the text: 2 MiB of them took minutes.
  const std::string html = "<p>" + std::string(2 << 20, '&') + "&amp;&#x4E2D;</p>";
  const auto started = std::chrono::steady_clock::now();
  auto result = extract("amp.html", html);
  const auto took = std::chrono::steady_clock::now() - started;
  expectOk(result, "html");
  EXPECT_EQ(result.text.size(), (std::size_t{2} << 20) + 1 + 3);
  EXPECT_TRUE(result.text.ends_with("&&中")) << result.text.substr(result.text.size() - 10);
  // Linear takes milliseconds; quadratic took minutes. The bound is far from both.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(took).count(), 10);
}

// ---- DOCX, ODT, OFD ---------------------------------------------------------------------------

TEST_F(ExtractTest, DocxParagraphsTabsAndBreaks) {
  auto result = extract("report.docx", sampleDocx());
  expectOk(result, "docx");
  EXPECT_EQ(result.text, kTitle + "\n" + kSentence + "\t<一>\n" + kDuty);
}

TEST_F(ExtractTest, OdtHeadingsParagraphsSpacesAndSpans) {
  auto result = extract("report.odt", sampleOdt());
  expectOk(result, "odt");
  EXPECT_EQ(result.text, kTitle + "\n" + kSentence + "   甲\t乙\n" + kDuty);
}

TEST_F(ExtractTest, OfdPagesInNaturalOrderWithLineBreaks) {
  auto result = extract("report.ofd", sampleOfd());
  expectOk(result, "ofd");
  std::string expected = kTitle + "\n" + kSentence;
  for (int page = 2; page <= 11; ++page) expected += "\n第" + std::to_string(page) + "页";
  EXPECT_EQ(result.text, expected + "\n" + kDuty);
}

TEST_F(ExtractTest, OfdWithoutPrefixAndInGb18030) {
  std::string page = ofdPage({kDuty});
  for (std::size_t at; (at = page.find("ofd:")) != std::string::npos;) page.erase(at, 4);
  page.replace(page.find("UTF-8"), 5, "GB18030");
  auto result =
      extract("x.ofd", makeZip({{"OFD.xml", "<OFD/>"},
                                {"Doc_0/pages/page_0/content.xml", toCharset(page, "GB18030")}}));
  expectOk(result, "ofd");
  EXPECT_EQ(result.text, kDuty);
}

// ---- PDF -------------------------------------------------------------------------------------

TEST_F(ExtractTest, PdfTextOfEveryPage) {
  auto result = extract("report.pdf", samplePdf(), "application/pdf");
  expectOk(result, "pdf");
  EXPECT_TRUE(contains(result.text, kTitle)) << result.text;
  EXPECT_TRUE(contains(result.text, kSentence)) << result.text;
  EXPECT_TRUE(contains(result.text, kDuty)) << result.text;
  EXPECT_LT(result.text.find(kTitle), result.text.find(kDuty));
}

TEST_F(ExtractTest, EncryptedPdf) {
  const std::string path = std::string(GONGKAI_TEST_DATA_DIR) + "/extract/encrypted.pdf";
  auto result = extractFile(path, "application/pdf", "encrypted.pdf");
  expectError(result, "encrypted");
  EXPECT_EQ(result.format, "pdf");
}

TEST_F(ExtractTest, GarbageRenamedPdfIsMalformed) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) % 251);
  expectError(extract("scan.pdf", garbage), "malformed");
  // A PDF cut short: poppler may still read what is there, but must not crash.
  const std::string pdf = samplePdf();
  auto cut = extract("cut.pdf", pdf.substr(0, pdf.size() / 3));
  EXPECT_TRUE(cut.ok || cut.error_code == "malformed") << cut.error_code;
}

TEST_F(ExtractTest, PdfObjectNumberBeyondTheSpecsLimitIsMalformed) {
  // Poppler, rebuilding a broken cross-reference table, sizes it by the largest object number
  // it finds and fills every entry. Past the PDF's own limit (8,388,607) the file is not read.
  const std::string pdf = samplePdf();
  auto atTheLimit = extract("limit.pdf", pdf + "8388607 0 obj\n<< >>\nendobj\n");
  expectOk(atTheLimit, "pdf");
  EXPECT_TRUE(contains(atTheLimit.text, kDuty)) << atTheLimit.text;
  for (const char* header : {"8388608 0 obj", "23333333 00 obj", "0000000099999999 0 obj",
                             "184467440737095516160 0 obj", "8388608\r\n0\tobj"}) {
    expectError(extract("beyond.pdf", pdf + header + "\n<< >>\nendobj\n"), "malformed");
  }
  // Not object headers: a number before a word other than "obj", or without a generation.
  expectOk(extract("words.pdf", pdf + "% 99999999 0 R 99999999 obj 12 endobj\n"), "pdf");

  // Found by the extract_pdf fuzz target (435 bytes; 20 s of poppler under ASan): read in the
  // child as the server reads it, it is a malformed file, not a child aborted by its memory limit.
  const std::string found = GONGKAI_TEST_DATA_DIR "/extract/object-number-beyond-limit.pdf";
  expectError(extractFile(found, "", "found.pdf"), "malformed");
  expectError(extractIsolated(GONGKAI_CLI_BINARY, found, "", "found.pdf"), "malformed");
}

// ---- limits ----------------------------------------------------------------------------------

TEST_F(ExtractTest, TruncatedZipIsMalformed) {
  const std::string docx = sampleDocx();
  expectError(extract("cut.docx", docx.substr(0, docx.size() / 2)), "malformed");
  expectError(extract("cut.odt", sampleOdt().substr(0, 200)), "malformed");
}

TEST_F(ExtractTest, ZipBombFromItsHeaders) {
  const std::string path = dir_ / "bomb.docx";
  writeZerosZip(path, "word/document.xml", 200);
  const auto start = std::chrono::steady_clock::now();
  auto result = extractFile(path, "", "bomb.docx");
  expectError(result, "zip_bomb");
  EXPECT_EQ(result.format, "docx");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(ExtractTest, ZipBombWithLyingHeadersStopsWhileInflating) {
  const std::string path = dir_ / "liar.docx";
  writeZerosZip(path, "word/document.xml", 200);
  std::string bytes = testing::readFile(path);
  // Claim 100 bytes uncompressed in the central directory and the local header.
  for (const std::string& signature :
       {std::string("PK\x01\x02", 4), std::string("PK\x03\x04", 4)}) {
    const std::size_t at = bytes.find(signature);
    ASSERT_NE(at, std::string::npos);
    const std::size_t field = at + (signature[2] == 1 ? 24 : 22);
    bytes.replace(field, 4, std::string("\x64\0\0\0", 4));
  }
  writeFile(path, bytes);
  ExtractionLimits limits;
  limits.max_expansion_ratio = 20;  // caps this entry near 4 MB of its 200
  expectError(extractFile(path, "", "liar.docx", limits), "zip_bomb");
  // The total cap holds as well, whatever the ratio.
  limits.max_expansion_ratio = 1e9;
  limits.max_expanded_bytes = 8 << 20;
  expectError(extractFile(path, "", "liar.docx", limits), "zip_bomb");
}

TEST_F(ExtractTest, TooManyEntries) {
  std::vector<ZipEntry> entries = {{"word/document.xml", docxDocument("<w:p/>")}};
  for (int i = 0; i < 30; ++i)
    entries.push_back({"word/media/image" + std::to_string(i) + ".png", "x"});
  ExtractionLimits limits;
  limits.max_zip_entries = 20;
  expectError(extract("many.docx", makeZip(entries), "", limits), "too_many_entries");
  limits.max_zip_entries = 31;
  EXPECT_TRUE(extract("many.docx", makeZip(entries), "", limits).ok);
}

TEST_F(ExtractTest, TextIsAlwaysWellFormedUtf8) {
  // An overlong NUL and a surrogate in a character reference, straight from document XML.
  auto result =
      extract("odd.docx",
              makeDocx(docxDocument("<w:p><w:r><w:t>甲\xC0\x80乙&#xD800;丙</w:t></w:r></w:p>")));
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(validUtf8(result.text)) << result.text;
  EXPECT_TRUE(contains(result.text, "乙")) << result.text;
}

TEST_F(ExtractTest, HostileXml) {
  const std::string laughs =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)"
      R"(<!ENTITY lol2 "&lol;&lol;&lol;">]>)"
      R"(<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body>)"
      R"(</w:document>)";
  expectError(extract("laughs.docx", makeDocx(laughs)), "malformed");
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<w:p>";
  expectError(extract("deep.docx", makeDocx(docxDocument(deep))), "malformed");
  // Unknown entities are left as they stand, never expanded.
  auto result =
      extract("entity.docx", makeDocx(docxDocument("<w:p><w:r><w:t>&lol;甲</w:t></w:r></w:p>")));
  EXPECT_EQ(result.text, "&lol;甲");
}

TEST_F(ExtractTest, TooLargeInputIsNotRead) {
  ExtractionLimits limits;
  limits.max_input_bytes = 10;
  expectError(extract("big.txt", kSentence, "", limits), "too_large");
}

// A plain-text file far longer than the text kept is read only as far as the kept text can
// reach (two bytes of input per byte of output at most), in every encoding read, with the same
// text and the same verdict as reading it all.
TEST_F(ExtractTest, ALongPlainTextFileGivesTheSameCutTextInEveryEncoding) {
  ExtractionLimits limits;
  limits.max_text_bytes = 100;
  std::string whole;
  while (whole.size() < 20 * limits.max_text_bytes) whole += kTitle + "\n" + kSentence + "\n";
  const std::string ascii(20 * limits.max_text_bytes, 'a');
  const std::vector<std::pair<std::string, std::string>> files{
      {"utf8.txt", whole},
      {"gb.txt", toCharset(whole, "GB18030")},
      {"utf16le.txt", "\xFF\xFE" + toCharset(whole, "UTF-16LE")},
      {"utf16be.txt", "\xFE\xFF" + toCharset(whole, "UTF-16BE")},
      {"ascii16.txt", "\xFF\xFE" + toCharset(ascii, "UTF-16LE")}};
  for (const auto& [name, bytes] : files) {
    const auto cut = extract(name, bytes, "text/plain", limits);
    ASSERT_TRUE(cut.ok) << name << ": " << cut.message;
    EXPECT_TRUE(cut.truncated) << name;
    const std::string& expected = name == "ascii16.txt" ? ascii : whole;
    EXPECT_GE(cut.text.size(), limits.max_text_bytes - 3) << name;
    EXPECT_EQ(expected.substr(0, cut.text.size()), cut.text) << name;
  }
}

TEST_F(ExtractTest, OutputIsCutAtACharacterBoundary) {
  ExtractionLimits limits;
  limits.max_text_bytes = 10;  // three Chinese characters and one byte of a fourth
  auto text = extract("a.txt", kTitle, "", limits);
  EXPECT_TRUE(text.ok);
  EXPECT_TRUE(text.truncated);
  EXPECT_EQ(text.text, kTitle.substr(0, 9));
  auto docx = extract("a.docx", sampleDocx(), "", limits);
  EXPECT_TRUE(docx.truncated);
  EXPECT_EQ(docx.text, kTitle.substr(0, 9));
  limits.max_text_bytes = 100;
  auto pdf = extract("a.pdf", samplePdf(), "", limits);
  EXPECT_TRUE(pdf.truncated);
  EXPECT_LE(pdf.text.size(), 100u);
  EXPECT_TRUE(validUtf8(pdf.text));
}

TEST_F(ExtractTest, UnsupportedFormat) {
  auto result = extract("photo.jpg", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11), "image/jpeg");
  expectError(result, "unsupported_format");
  EXPECT_EQ(result.format, "");
  expectError(extract("sheet.xlsx", makeZip({{"xl/workbook.xml", "<workbook/>"}})),
              "unsupported_format");
}

TEST_F(ExtractTest, TimeLimit) {
  ExtractionLimits limits;
  limits.time_limit = std::chrono::milliseconds(0);
  expectError(extract("slow.docx", sampleDocx(), "", limits), "timeout");
}

// ---- the isolated runner ---------------------------------------------------------------------

std::size_t openFdCount() {
  std::size_t count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (readdir(dir)) ++count;
  closedir(dir);
  return count;
}

void expectNoChildren() {
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ExtractTest, IsolatedGivesTheSameTextAsInProcess) {
  const std::size_t fds = openFdCount();
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{{"a.docx", sampleDocx()},
                                                        {"a.pdf", samplePdf()},
                                                        {"a.odt", sampleOdt()},
                                                        {"a.ofd", sampleOfd()},
                                                        {"a.txt", toCharset(kSentence, "GBK")}}) {
    const std::string path = file(name, bytes);
    const auto inProcess = extractFile(path, "", name);
    const auto isolated = extractIsolated(GONGKAI_CLI_BINARY, path, "", name);
    expectOk(isolated, inProcess.format);
    EXPECT_EQ(isolated.text, inProcess.text) << name;
    EXPECT_TRUE(contains(isolated.text, kSentence)) << name;
  }
  expectNoChildren();
  EXPECT_EQ(openFdCount(), fds);
}

TEST_F(ExtractTest, IsolatedReportsTheChildsErrorsAndTruncation) {
  const std::string encrypted = std::string(GONGKAI_TEST_DATA_DIR) + "/extract/encrypted.pdf";
  auto locked = extractIsolated(GONGKAI_CLI_BINARY, encrypted, "application/pdf", "e.pdf");
  expectError(locked, "encrypted");
  EXPECT_EQ(locked.message, extractFile(encrypted, "", "e.pdf").message);

  ExtractionLimits limits;
  limits.max_text_bytes = 10;
  auto cut =
      extractIsolated(GONGKAI_CLI_BINARY, file("a.docx", sampleDocx()), "", "a.docx", limits);
  EXPECT_TRUE(cut.ok);
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(cut.text, kTitle.substr(0, 9));

  const std::string bomb = dir_ / "bomb.docx";
  writeZerosZip(bomb, "word/document.xml", 50);
  expectError(extractIsolated(GONGKAI_CLI_BINARY, bomb, "", "bomb.docx"), "zip_bomb");
  expectNoChildren();
}

TEST_F(ExtractTest, IsolatedChildThatRunsOutOfTime) {
  ExtractionLimits limits;
  limits.time_limit = std::chrono::milliseconds(0);
  auto result =
      extractIsolated(GONGKAI_CLI_BINARY, file("a.pdf", samplePdf()), "", "a.pdf", limits);
  expectError(result, "timeout");
  expectNoChildren();
}

TEST_F(ExtractTest, IsolatedChildOutOfMemoryCrashesAlone) {
#ifdef GONGKAI_SANITIZED
  GTEST_SKIP() << "AddressSanitizer reserves its shadow memory up front, so the child runs without "
                  "an address-space cap in this build";
#endif
  // Poppler aborts when an allocation fails; under a 1 MB address space every one does. The
  // crash is the child's: this process gets a result.
  ExtractionLimits limits;
  limits.max_memory_bytes = 1'000'000;
  auto result =
      extractIsolated(GONGKAI_CLI_BINARY, file("a.pdf", samplePdf()), "", "a.pdf", limits);
  expectError(result, "crashed");
  EXPECT_EQ(result.format, "pdf");
  expectNoChildren();
}

// Extractors that misbehave as a hostile file could make the real one: they stand in for it so
// that the runner's own handling is what is tested.
std::string script(const TempDir& dir, const std::string& name, const std::string& body) {
  const std::string path = dir / name;
  writeFile(path, "#!/bin/sh\n" + body + "\n");
  chmod(path.c_str(), 0755);
  return path;
}

TEST_F(ExtractTest, IsolatedKillsAHungChildAndItsChildren) {
  const std::string marker = dir_ / "survivor";
  const std::string hang = script(dir_, "hang.sh", "(sleep 3; touch " + marker + ") &\nsleep 60");
  ExtractionLimits limits;
  limits.time_limit = std::chrono::milliseconds(100);
  const auto start = std::chrono::steady_clock::now();
  auto result = extractIsolated(hang, file("a.pdf", samplePdf()), "", "a.pdf", limits);
  const auto took = std::chrono::steady_clock::now() - start;
  expectError(result, "timeout");
  EXPECT_LT(took, std::chrono::seconds(3));
  expectNoChildren();
  // The whole process group went: the background job never got to leave its mark.
  std::this_thread::sleep_for(std::chrono::milliseconds(3600) - took);
  struct stat info;
  EXPECT_NE(stat(marker.c_str(), &info), 0);
}

TEST_F(ExtractTest, IsolatedReportsACrash) {
  const std::string crash = script(dir_, "crash.sh", "echo partial; kill -SEGV $$");
  auto result = extractIsolated(crash, file("a.docx", sampleDocx()), "", "a.docx");
  expectError(result, "crashed");
  EXPECT_TRUE(contains(result.message, "11")) << result.message;
  const std::string quits = script(dir_, "quits.sh", "exit 7");
  expectError(extractIsolated(quits, file("b.docx", sampleDocx()), "", "b.docx"), "crashed");
  expectError(extractIsolated("/nonexistent/gongkai", file("c.pdf", samplePdf()), "", "c.pdf"),
              "crashed");
  expectNoChildren();
}

TEST_F(ExtractTest, IsolatedReadsTextInProcess) {
  // Plain text needs no child, so even a missing extractor does not matter.
  auto result = extractIsolated("/nonexistent/gongkai", file("a.txt", kTitle), "", "a.txt");
  expectOk(result, "text");
  EXPECT_EQ(result.text, kTitle);
}

TEST_F(ExtractTest, IsolatedParsesHtmlInTheChild) {
  // HTML is markup to parse, so it goes to the child like the other formats: a missing
  // extractor is a crash, and the real one gives the same text as in process.
  const std::string page = "<html><body><p>" + std::string(kTitle) + "</p></body></html>";
  expectError(extractIsolated("/nonexistent/gongkai", file("a.html", page), "", "a.html"),
              "crashed");
  auto result = extractIsolated(GONGKAI_CLI_BINARY, file("b.html", page), "", "b.html");
  expectOk(result, "html");
  EXPECT_EQ(result.text, extractFile(file("c.html", page), "", "c.html").text);
  // A page of ampersands is hard work for an entity decoder; here it costs only the child.
  ExtractionLimits limits;
  limits.time_limit = std::chrono::seconds(20);
  auto amps = extractIsolated(GONGKAI_CLI_BINARY,
                              file("d.html", "<p>" + std::string(4 << 20, '&') + "</p>"), "",
                              "d.html", limits);
  EXPECT_TRUE(amps.ok || amps.error_code == "timeout") << amps.error_code << ": " << amps.message;
  expectNoChildren();
}

TEST_F(ExtractTest, TheCommandRefusesBadArgumentsAndNamesAMissingFile) {
  using gongkai::testing::runCommand;
  const std::string pdf = file("a.pdf", samplePdf());
  std::string output;
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text"}, output), 2) << output;
  EXPECT_EQ(
      runCommand({GONGKAI_CLI_BINARY, "extract-text", "--max-text-bytes", "abc", pdf}, output), 2);
  EXPECT_NE(output.find("abc"), std::string::npos) << output;
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text", "--max-text-bytes", "-5", pdf}, output),
            2);
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text", "--bogus", "1", pdf}, output), 2);
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text", "--name"}, output), 2);
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text", dir_.path() + "/missing.pdf"}, output),
            3);
  EXPECT_NE(output.find("malformed\t"), std::string::npos) << output;
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "extract-text", pdf}, output), 0) << output;
  EXPECT_NE(output.find("ok\tpdf\tcomplete"), std::string::npos) << output;
}

}  // namespace
}  // namespace gongkai::indexer
