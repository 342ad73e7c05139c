#include "gongkai/archive/eep_package.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "bag_text.h"
#include "gongkai/archive/bundle_layout.h"
#include "gongkai/archive/file_inspector.h"
#include "gongkai/archive/reference_code.h"
#include "gongkai/archive/safe_tar_reader.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/json_reader.h"
#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "item_metadata_xml.h"
#include "xml_schema.h"

namespace gongkai::archive {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view kFormatDescription =
    "本EEP根据中华人民共和国档案行业标准DA/T 48-2009《基于XML的电子文件封装规范》生成";
constexpr std::string_view kOriginalDescription =
    "本封装包包含电子文件数据及其元数据，原始封装，未经修改";
constexpr std::string_view kSignedOpen = "<被签名对象";
constexpr std::string_view kSignedClose = "</被签名对象>";
constexpr std::string_view kEd25519Oid = "1.3.101.112";
constexpr std::string_view kSignatureRule =
    "Ed25519 (RFC 8032)：对本文件自“<被签名对象”起至“</被签名对象>”止的字节（UTF-8，原样，"
    "不做规范化）签名 (pure Ed25519 over the bytes of 被签名对象 as written, no "
    "canonicalisation)";
// Disclosed documents passed the confidentiality review (保密审查) before publication.
constexpr std::string_view kUnclassified = "非密";
constexpr std::size_t kChunk = 1 << 20;
constexpr std::string_view kOriginalEncoding =
    "计算机文件原文的 base64 编码 (the file's bytes, base64)";

Error corrupt(const std::string& message) {
  return Error::make(ErrorCode::kCorrupt, "eep_bundle", message);
}

// xs:dateTime in China time, e.g. 2024-01-01T08:00:00+08:00.
std::string chinaDateTime(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return text;
}

std::string element(std::string_view name, std::string_view value, std::string_view indent) {
  return std::string(indent) + "<" + std::string(name) + ">" + xmlText(value) + "</" +
         std::string(name) + ">\n";
}

std::string stringOr(const core::JsonValue& value, std::string_view key) {
  const std::string* text = value.stringAt(key);
  return text ? *text : std::string();
}

// What the writer gathers of one item from the bundle.
struct ItemInput {
  std::string code;
  std::optional<std::string> record;              // metadata.json
  std::map<std::string, std::string> files;       // bundled name → bytes
  std::map<std::string, std::string> renditions;  // renditions/<file id>.pdf name → bytes
  std::int64_t bytes = 0;
};

// 编码: one encoding of a file's data, base64; `number` 1 for the original, 2 for its rendition.
std::string encodingXml(const std::string& dataId, int number, const std::string& mediaType,
                        const std::string& name, std::string_view description,
                        const std::string& bytes, const std::string& indent) {
  const std::string id = dataId + "-编码" + std::to_string(number);
  return indent + "<编码 编码ID=\"" + id + "\">\n" + indent + "  <电子属性>\n" +
         element("格式信息", mediaType, indent + "    ") +
         element("计算机文件名", name, indent + "    ") +
         element("计算机文件大小", std::to_string(bytes.size()), indent + "    ") + indent +
         "    <数字摘要 算法=\"SHA-256\">" + core::sha256Hex(bytes) + "</数字摘要>\n" + indent +
         "  </电子属性>\n" + element("编码描述", description, indent + "  ") +
         element("反编码关键字", "base64", indent + "  ") + indent + "  <编码数据 编码数据ID=\"" +
         id + "-编码数据\">" + core::base64Encode(bytes) + "</编码数据>\n" + indent + "</编码>\n";
}

// 文档: one file, its bytes base64-encoded, and its preservation rendition as a second 编码 of
// the same 文档数据 when the bundle has one.
std::string documentXml(int number, const core::JsonValue& file, const std::string& bytes,
                        const std::string* rendition, const std::string& renditionName) {
  const std::string n = std::to_string(number);
  const std::string id = "修改0-文档" + n + "-文档数据1";
  const std::string indent = "          ";
  std::string xml = indent + "<文档>\n" + element("文档标识符", "修改0-文档" + n, indent + "  ") +
                    element("文档序号", n, indent + "  ") +
                    element("题名", stringOr(file, "name"), indent + "  ") + indent +
                    "  <文档数据 文档数据ID=\"" + id + "\">\n" +
                    encodingXml(id, 1, stringOr(file, "media_type"), stringOr(file, "name"),
                                kOriginalEncoding, bytes, indent + "    ");
  if (rendition != nullptr) {
    xml += encodingXml(id, 2, "application/pdf", renditionName, kEepRenditionDescription,
                       *rendition, indent + "    ");
  }
  return xml + indent + "  </文档数据>\n" + indent + "</文档>\n";
}

// 被签名对象 of one item, from its current record and the files it lists.
core::Result<std::string> signedObjectXml(const ItemInput& item, const std::string& organization,
                                          const std::string& madeAt) {
  core::JsonSyntaxError syntax;
  const auto record = core::parseJsonWithLines(*item.record, syntax);
  const auto code = parseReferenceCode(item.code);
  if (!record || !record->isObject() || !code) {
    return corrupt("条目记录或档号无效 (the item's record or 档号 is invalid): " + item.code);
  }
  std::string documents;
  int number = 0;
  if (const core::JsonValue* files = record->valueAt("files"); files && files->isArray()) {
    for (const core::JsonValue& file : files->items) {
      const auto id = file.integerAt("id");
      const auto found = id ? item.files.find(layout::bundledFileName(*id, stringOr(file, "name")))
                            : item.files.end();
      if (found == item.files.end() || core::sha256Hex(found->second) != stringOr(file, "sha256")) {
        return corrupt(
            "归档包中的文件与记录不符 (a file of the bundle is missing or not as its "
            "record says): " +
            item.code + " " + stringOr(file, "name"));
      }
      const std::string renditionName = std::to_string(*id) + ".pdf";
      const auto rendition = item.renditions.find(renditionName);
      documents += documentXml(++number, file, found->second,
                               rendition != item.renditions.end() ? &rendition->second : nullptr,
                               std::string(layout::kRenditionsFolder) + renditionName);
    }
  }
  const auto documentId = record->integerAt("document_id");
  const std::string in = "        ";
  std::string xml =
      std::string(kSignedOpen) + " eep版本=\"2009\">\n" + element("封装包类型", "原始型", "    ") +
      element("封装包类型描述", kOriginalDescription, "    ") +
      element("封装包创建时间", madeAt, "    ") + element("封装包创建单位", organization, "    ") +
      "    <封装内容>\n      <文件实体块>\n        <文件实体>\n" +
      element("聚合层次", "文件", in + "  ") + in + "  <来源>\n" +
      element("立档单位名称", organization, in + "    ") + in + "  </来源>\n" +
      element("电子文件号", documentId ? std::to_string(*documentId) : "", in + "  ") + in +
      "  <档号 值=\"" + xmlText(item.code) + "\">\n" + element("全宗号", code->fonds, in + "    ") +
      element("年度", std::to_string(code->year), in + "    ") +
      element("保管期限", retentionName(code->retention), in + "    ") +
      element("机构或问题", code->category, in + "    ") +
      element("室编件号", std::to_string(code->item), in + "    ") + in + "  </档号>\n" + in +
      "  <内容描述>\n" + element("题名", stringOr(*record, "title"), in + "    ");
  if (const std::string* docNumber = record->stringAt("doc_number")) {
    xml += element("文件编号", *docNumber, in + "    ");
  }
  xml += element("责任者", stringOr(*record, "org_unit"), in + "    ");
  if (const std::string* issued = record->stringAt("issued_at")) {
    xml += element("日期", *issued, in + "    ");
  }
  xml += element("密级", kUnclassified, in + "    ") + in + "  </内容描述>\n" + in +
         "  <形式特征>\n" + element("文件组合类型", number > 1 ? "组合文件" : "单件", in + "    ") +
         in + "  </形式特征>\n" + in + "  <权限管理>\n" +
         element("控制标识", scopeName(stringOr(*record, "scope")), in + "    ") + in +
         "  </权限管理>\n" + in + "  <文件数据>\n" + documents + in + "  </文件数据>\n" + in +
         "</文件实体>\n      </文件实体块>\n    </封装内容>\n  " + std::string(kSignedClose);
  return xml;
}

core::Result<std::string> itemPackage(const ItemInput& item, const std::string& organization,
                                      const std::string& madeAt,
                                      const core::Ed25519Signer& signer) {
  if (!item.record)
    return corrupt("条目缺少 metadata.json (an item lacks metadata.json): " + item.code);
  auto signedObject = signedObjectXml(item, organization, madeAt);
  if (!signedObject.ok()) return signedObject.error();
  const std::string signature = core::base64Encode(signer.sign(signedObject.value()));
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<电子文件封装包 xmlns=\"" +
         std::string(kEepNamespace) + "\">\n" +
         element("封装包格式描述", kFormatDescription, "  ") + element("版本", "2009", "  ") +
         "  " + signedObject.value() + "\n  <电子签名块>\n    <电子签名>\n" +
         element("签名标识符", "修改0-签名1", "      ") +
         element("签名规则", kSignatureRule, "      ") + element("签名时间", madeAt, "      ") +
         element("签名人", organization, "      ") + element("签名结果", signature, "      ") +
         "      <证书块>\n" +
         element("证书", core::ed25519PublicKeyPem(signer.publicKey()), "        ") +
         "      </证书块>\n" + element("签名算法标识", kEd25519Oid, "      ") +
         "    </电子签名>\n  </电子签名块>\n</电子文件封装包>\n";
}

// The EEP tar as it is written: fixed times and modes, no owners, hashed on the way out.
class EepTar {
 public:
  EepTar(const std::string& path, std::int64_t mtime) : mtime_(mtime) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) throw std::runtime_error("cannot create " + path);
    archive_ = archive_write_new();
    archive_write_set_format_pax_restricted(archive_);
    if (archive_write_open(archive_, this, nullptr, &EepTar::write, nullptr) != ARCHIVE_OK) fail();
  }
  ~EepTar() {
    if (archive_ != nullptr) archive_write_free(archive_);
    if (file_ != nullptr) std::fclose(file_);
  }

  void entry(const std::string& path, const std::string& bytes, bool directory = false) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, path.c_str());
    archive_entry_set_filetype(entry, directory ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, directory ? 0755 : 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_mtime(entry, static_cast<time_t>(mtime_), 0);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    const int status = archive_write_header(archive_, entry);
    archive_entry_free(entry);
    if (status != ARCHIVE_OK) fail();
    if (!bytes.empty() && archive_write_data(archive_, bytes.data(), bytes.size()) < 0) fail();
  }

  EepWritten finish(std::int64_t items) {
    if (archive_write_close(archive_) != ARCHIVE_OK) fail();
    archive_write_free(archive_);
    archive_ = nullptr;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed) throw std::runtime_error("close failed");
    return {size_, core::toHex(sha256_.finish()), items};
  }

 private:
  static la_ssize_t write(struct archive*, void* self, const void* buffer, size_t length) {
    auto* tar = static_cast<EepTar*>(self);
    if (std::fwrite(buffer, 1, length, tar->file_) != length) return -1;
    tar->sha256_.update(buffer, length);
    tar->size_ += static_cast<std::int64_t>(length);
    return static_cast<la_ssize_t>(length);
  }
  [[noreturn]] void fail() {
    const char* message = archive_error_string(archive_);
    throw std::runtime_error(message ? message : "libarchive error");
  }

  std::FILE* file_ = nullptr;
  struct archive* archive_ = nullptr;
  std::int64_t mtime_;
  core::Sha256 sha256_;
  std::int64_t size_ = 0;
};

// The 档号 and the rest of a path under data/items/, or nullopt.
std::optional<std::pair<std::string, std::string>> itemPath(std::string_view path) {
  if (!verify::startsWith(path, layout::kItems)) return std::nullopt;
  const std::string_view rest = path.substr(layout::kItems.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return std::make_pair(std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1)));
}

// The bundle's Source-Organization. A bag's tag files follow its payload in the tar, so this is
// a pass of its own (the payload's data is skipped, not read).
core::Result<std::string> sourceOrganization(const std::string& bundleTarPath) {
  SafeTarReader reader;
  if (auto opened = reader.open(bundleTarPath); !opened.ok()) return opened.error();
  TarEntry entry;
  std::vector<char> buffer(1 << 16);
  while (reader.next(entry)) {
    if (entry.directory || entry.path != reader.root() + "/bag-info.txt") continue;
    std::string bytes;
    std::int64_t got = 0;
    while ((got = reader.read(buffer.data(), buffer.size())) > 0) {
      bytes.append(buffer.data(), static_cast<std::size_t>(got));
    }
    if (reader.error()) break;
    if (auto organization = verify::infoValue(verify::parseBagInfo(bytes), "Source-Organization")) {
      return *organization;
    }
    break;
  }
  if (reader.error()) return *reader.error();
  return corrupt("bag-info.txt 缺少 Source-Organization (bag-info.txt names no unit)");
}

core::Result<EepWritten> writeTar(const std::string& bundleTarPath, const std::string& outPath,
                                  const core::Ed25519Signer& signer) {
  auto source = sourceOrganization(bundleTarPath);
  if (!source.ok()) return source.error();
  const std::string organization = source.value();
  SafeTarReader reader;
  if (auto opened = reader.open(bundleTarPath); !opened.ok()) return opened.error();
  std::optional<EepTar> out;
  std::string folder, madeAt;
  std::optional<ItemInput> current;
  std::int64_t items = 0;
  const auto flush = [&]() -> core::Status {
    if (!current) return core::okStatus();
    auto xml = itemPackage(*current, organization, madeAt, signer);
    if (!xml.ok()) return xml.error();
    out->entry(folder + current->code + ".xml", xml.value());
    ++items;
    current.reset();
    return core::okStatus();
  };
  TarEntry entry;
  std::vector<char> buffer(kChunk);
  while (reader.next(entry)) {
    if (!out) {
      // Every entry of a bundle carries its checkpoint's time: the package's time too.
      madeAt = chinaDateTime(entry.mtime);
      folder = reader.root() + "-eep/";
      out.emplace(outPath, entry.mtime);
      out->entry(folder.substr(0, folder.size() - 1), "", /*directory=*/true);
    }
    if (entry.directory || entry.path.size() <= reader.root().size()) continue;
    const std::string path = entry.path.substr(reader.root().size() + 1);
    const auto inItem = itemPath(path);
    const bool wanted = inItem && (inItem->second == layout::kMetadataFile ||
                                   verify::startsWith(inItem->second, layout::kFilesFolder) ||
                                   verify::startsWith(inItem->second, layout::kRenditionsFolder));
    if (!wanted) continue;
    if (!current || current->code != inItem->first) {
      if (auto flushed = flush(); !flushed.ok()) return flushed.error();
      current.emplace();
      current->code = inItem->first;
    }
    if (inItem->second != layout::kMetadataFile) {
      current->bytes += entry.size;
      if (current->bytes > kMaxEepItemBytes) {
        return Error::make(ErrorCode::kTooLarge, "eep_item_too_large",
                           "该件文件过大，无法封装 (the item's files are too large to "
                           "encapsulate in memory): " +
                               current->code);
      }
    }
    std::string bytes;
    while (true) {
      const std::int64_t got = reader.read(buffer.data(), buffer.size());
      if (got <= 0) break;
      bytes.append(buffer.data(), static_cast<std::size_t>(got));
    }
    if (reader.error()) break;
    if (inItem->second == layout::kMetadataFile) {
      current->record = std::move(bytes);
    } else if (verify::startsWith(inItem->second, layout::kRenditionsFolder)) {
      current->renditions[inItem->second.substr(layout::kRenditionsFolder.size())] =
          std::move(bytes);
    } else {
      current->files[inItem->second.substr(layout::kFilesFolder.size())] = std::move(bytes);
    }
  }
  if (reader.error()) return *reader.error();
  if (!out) return corrupt("归档包是空的 (the bundle is empty)");
  if (auto flushed = flush(); !flushed.ok()) return flushed.error();
  if (items == 0) return corrupt("归档包中没有条目 (the bundle holds no items)");
  return out->finish(items);
}

}  // namespace

core::Result<EepWritten> writeEepPackage(const std::string& bundleTarPath,
                                         const std::string& outPath,
                                         const core::Ed25519Signer& signer) {
  auto written = [&]() -> core::Result<EepWritten> {
    try {
      return writeTar(bundleTarPath, outPath, signer);
    } catch (const std::exception& e) {
      return Error::make(ErrorCode::kIo, "eep_write_failed",
                         std::string("EEP 无法写出 (cannot write the EEP package): ") + e.what());
    }
  }();
  if (!written.ok()) std::remove(outPath.c_str());
  return written;
}

// ---- Checking a package ----

namespace {

bool named(const xmlNode* node, std::string_view name) {
  return node->type == XML_ELEMENT_NODE && node->name != nullptr &&
         name == reinterpret_cast<const char*>(node->name);
}

// The elements called `name` below `node`, in document order.
void collectElements(const xmlNode* node, std::string_view name, std::vector<const xmlNode*>& out) {
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (named(child, name)) out.push_back(child);
    collectElements(child, name, out);
  }
}

const xmlNode* firstElement(const xmlNode* node, std::string_view name) {
  std::vector<const xmlNode*> found;
  collectElements(node, name, found);
  return found.empty() ? nullptr : found.front();
}

std::string textOf(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  std::string text = content != nullptr ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return text;
}

std::string withoutSpace(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  }
  return out;
}

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < 5; ++i) out += (i ? "；" : "") + parts[i];
  if (parts.size() > 5) out += "；…（共 " + std::to_string(parts.size()) + " 处）";
  return out;
}

class PackageChecker {
 public:
  PackageChecker(EepReport& report, const std::vector<core::Ed25519PublicKey>& keys)
      : report_(report), keys_(keys) {}

  void check(const std::string& name, const std::string& xml) {
    std::vector<SchemaViolation> violations;
    XmlDocPtr doc = parseXml(xml, violations);
    if (doc) violations = validateAgainst(XmlSchemaId::kDat48Eep, doc.get());
    std::vector<std::string> messages;
    for (const auto& v : violations) messages.push_back(v.element + " " + v.message);
    add("eep_schema", name, violations.empty(),
        violations.empty()
            ? "符合 DA/T 48 封装包模式 (valid against the EEP schema)"
            : "不符合封装包模式 (not valid against the EEP schema): " + joined(messages));
    if (!doc) return;
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (root == nullptr) return;
    checkSignature(name, xml, root);
    checkFiles(name, root);
    checkRenditions(name, root);
  }

 private:
  void add(std::string check, std::string subject, bool passed, std::string message) {
    report_.findings.push_back({std::move(check), std::move(subject), passed, std::move(message)});
  }

  void checkSignature(const std::string& name, const std::string& xml, const xmlNode* root) {
    const auto fail = [&](const std::string& why) { add("eep_signature", name, false, why); };
    if (occurrences(xml, kSignedOpen) != 1 || occurrences(xml, kSignedClose) != 1) {
      return fail("被签名对象须恰好出现一次 (被签名对象 must occur exactly once)");
    }
    const std::size_t open = xml.find(kSignedOpen);
    const std::size_t close = xml.find(kSignedClose);
    if (close < open) return fail("被签名对象的起止标记顺序错误 (被签名对象 is malformed)");
    const std::string_view signedBytes =
        std::string_view(xml).substr(open, close + kSignedClose.size() - open);
    const xmlNode* signature = firstElement(root, "电子签名");
    if (signature == nullptr) return fail("没有电子签名 (no 电子签名)");
    if (withoutSpace(textOf(firstElement(signature, "签名算法标识"))) != kEd25519Oid) {
      return fail("签名算法不是 Ed25519 (1.3.101.112) (the signature algorithm is not Ed25519)");
    }
    const auto value =
        core::base64Decode(withoutSpace(textOf(firstElement(signature, "签名结果"))));
    if (!value || value->size() != 64) {
      return fail("签名结果不是 64 字节的 Ed25519 签名 (签名结果 is no 64-byte Ed25519 signature)");
    }
    for (const core::Ed25519PublicKey& key : keys_) {
      if (core::ed25519Verify(key, signedBytes, *value)) {
        const std::string stated = textOf(firstElement(signature, "证书"));
        const bool sameKey = stated == core::ed25519PublicKeyPem(key);
        add("eep_signature", name, true,
            std::string("签名有效，签名人为受信任的密钥 (signed by a trusted key)") +
                (sameKey ? "" : "；证书块所列公钥与之不同 (证书 names another key)"));
        return;
      }
    }
    fail("签名不能用受信任的公钥验证 (the signature does not verify with a trusted key)");
  }

  void checkFiles(const std::string& name, const xmlNode* root) {
    std::vector<const xmlNode*> encodings;
    collectElements(root, "编码", encodings);
    std::vector<std::string> problems;
    for (const xmlNode* encoding : encodings) {
      const std::string fileName = textOf(firstElement(encoding, "计算机文件名"));
      const auto bytes =
          core::base64Decode(withoutSpace(textOf(firstElement(encoding, "编码数据"))));
      if (!bytes) {
        problems.push_back(fileName + "：编码数据不是 base64 (编码数据 is not base64)");
        continue;
      }
      const std::string size = withoutSpace(textOf(firstElement(encoding, "计算机文件大小")));
      if (size != std::to_string(bytes->size())) {
        problems.push_back(fileName + "：大小 (size) " + size + " ≠ " +
                           std::to_string(bytes->size()));
      }
      const std::string digest = withoutSpace(textOf(firstElement(encoding, "数字摘要")));
      if (digest != core::sha256Hex(*bytes)) {
        problems.push_back(fileName + "：SHA-256 不符 (digest differs)");
      }
    }
    add("eep_file_digest", name, problems.empty(),
        problems.empty() ? std::to_string(encodings.size()) +
                               " 个文件的大小和 SHA-256 与所述一致 (every file's size and SHA-256 "
                               "as stated)"
                         : joined(problems));
  }

  // A rendition is the second 编码 of its file's 文档数据, says so in 编码描述, and is PDF/A by
  // our inspector; nothing else says it is a rendition. Reported only for packages that have one.
  void checkRenditions(const std::string& name, const xmlNode* root) {
    std::vector<const xmlNode*> data;
    collectElements(root, "文档数据", data);
    std::vector<std::string> problems, found;
    for (const xmlNode* documentData : data) {
      int position = 0;
      for (const xmlNode* encoding = documentData->children; encoding != nullptr;
           encoding = encoding->next) {
        if (!named(encoding, "编码")) continue;
        ++position;
        const bool marked = textOf(firstElement(encoding, "编码描述")) == kEepRenditionDescription;
        if (position == 1 && !marked) continue;
        const std::string fileName = textOf(firstElement(encoding, "计算机文件名"));
        if (position == 1 || !marked) {
          problems.push_back(fileName + (position == 1
                                             ? "：原文件被标为保存版本 (the original is marked "
                                               "as a rendition)"
                                             : "：第二个编码未标为保存版本 (a second encoding is "
                                               "not marked as a rendition)"));
          continue;
        }
        const auto bytes =
            core::base64Decode(withoutSpace(textOf(firstElement(encoding, "编码数据"))));
        if (!bytes) continue;  // eep_file_digest reports it
        FileInspector inspector(fileName, "application/pdf");
        inspector.update(bytes->data(), bytes->size());
        const FileFindings findings = inspector.finish();
        if (findings.format != "pdf" || !findings.identification.long_term) {
          problems.push_back(
              fileName + "：不是 PDF/A (not PDF/A): " + describeFormat(findings.identification));
        } else {
          found.push_back(fileName + " " + findings.identification.puid);
        }
      }
    }
    if (problems.empty() && found.empty()) return;
    add("eep_rendition", name, problems.empty(),
        problems.empty() ? std::to_string(found.size()) +
                               " 个保存版本，均为 PDF/A (renditions, each PDF/A): " + joined(found)
                         : joined(problems));
  }

  EepReport& report_;
  const std::vector<core::Ed25519PublicKey>& keys_;
};

}  // namespace

bool EepReport::passed() const {
  if (packages == 0 || findings.empty()) return false;
  for (const EepFinding& finding : findings) {
    if (!finding.passed) return false;
  }
  return true;
}

EepReport verifyEepPackage(const std::string& tarPath,
                           const std::vector<std::string>& publicKeyPems) {
  EepReport report;
  report.package = tarPath;
  std::vector<core::Ed25519PublicKey> keys;
  for (const std::string& pem : publicKeyPems) {
    if (auto key = core::ed25519PublicKeyFromPem(pem)) keys.push_back(*key);
  }
  if (keys.empty()) {
    report.findings.push_back({"trusted_key", tarPath, false,
                               "没有可用的 Ed25519 公钥 (no usable Ed25519 public key given)"});
    return report;
  }
  PackageChecker checker(report, keys);
  SafeTarReader reader;
  if (auto opened = reader.open(tarPath); !opened.ok()) {
    report.findings.push_back({"tar_safety", tarPath, false, opened.error().message});
    return report;
  }
  TarEntry entry;
  std::vector<char> buffer(kChunk);
  std::vector<std::string> strays;
  // A package holds at most kMaxEepItemBytes of files, base64 (4/3) with its metadata.
  constexpr std::int64_t kMaxPackage = kMaxEepItemBytes / 3 * 4 + (std::int64_t{16} << 20);
  while (reader.next(entry)) {
    if (entry.directory || entry.path == reader.root()) continue;
    const std::string name = entry.path.substr(reader.root().size() + 1);
    if (name.find('/') != std::string::npos || !verify::endsWith(name, ".xml") ||
        entry.size > kMaxPackage) {
      strays.push_back(name);
      continue;
    }
    std::string xml;
    while (true) {
      const std::int64_t got = reader.read(buffer.data(), buffer.size());
      if (got <= 0) break;
      xml.append(buffer.data(), static_cast<std::size_t>(got));
    }
    if (reader.error()) break;
    ++report.packages;
    checker.check(name, xml);
  }
  if (reader.error()) {
    report.findings.push_back({"tar_safety", tarPath, false, reader.error()->message});
    return report;
  }
  report.findings.push_back(
      {"eep_layout", reader.root().empty() ? tarPath : reader.root(),
       strays.empty() && report.packages > 0,
       strays.empty() && report.packages > 0
           ? std::to_string(report.packages) + " 个封装包，无其他文件 (packages, nothing else)"
       : report.packages == 0
           ? "没有封装包 (no packages)"
           : "不是封装包的文件 (files that are not packages): " + joined(strays)});
  return report;
}

std::string formatEepReportText(const EepReport& report) {
  std::string text = "EEP 封装包检查 (DA/T 48-2009) " + report.package + "\n";
  for (const EepFinding& f : report.findings) {
    text += std::string(f.passed ? "[通过 PASS] " : "[失败 FAIL] ") + f.check + " " + f.subject +
            "：" + f.message + "\n";
  }
  text += "封装包 (packages): " + std::to_string(report.packages) + "\n";
  text +=
      std::string("结论 (verdict): ") + (report.passed() ? "通过 (PASS)" : "不通过 (FAIL)") + "\n";
  return text;
}

std::string formatEepReportJson(const EepReport& report) {
  std::string json = "{\"package\":";
  core::appendJsonString(json, report.package);
  json += ",\"packages\":" + std::to_string(report.packages) +
          ",\"passed\":" + (report.passed() ? "true" : "false") + ",\"findings\":[";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const EepFinding& f = report.findings[i];
    json += i ? ",{\"check\":" : "{\"check\":";
    core::appendJsonString(json, f.check);
    json += ",\"subject\":";
    core::appendJsonString(json, f.subject);
    json += std::string(",\"passed\":") + (f.passed ? "true" : "false") + ",\"message\":";
    core::appendJsonString(json, f.message);
    json += "}";
  }
  return json + "]}\n";
}

}  // namespace gongkai::archive
