#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora, corpus/<target>/, from the strings and sample files of
the existing tests (tests/core, tests/indexer, tests/archive, tests/data). Run it again after
changing it; the seeds are committed, so neither ctest nor CI runs it. The audit_entry and records
seeds are not made here: they are what core's canonicalBytes and canonicalRecord wrote for sample
entries and records (a document, a draft, feedback, a catalogue item, an application), made once
with a throwaway program; replace them the same way when a record format changes."""
import io
import os
import struct
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TITLE = "关于2023年度部门预算公开的说明"
SENTENCE = "本单位严格按照政府信息公开条例的要求，主动公开部门预算。"
DUTY = "主要职责：负责本部门的信息公开工作。"


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def zip_of(entries, stored=()):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in entries:
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(name, (2023, 1, 6, 8, 0, 0)), content, method)
    return out.getvalue()


def zip64(data):
    """The same zip with a ZIP64 end record and locator before a saturated classic end record."""
    end = len(data) - 22
    entries, size, offset = struct.unpack("<HII", data[end + 10:end + 20])
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    classic = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:end] + record + locator + classic


def docx():
    body = (f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>"
            '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{SENTENCE}</w:t><w:tab/><w:t>&lt;一&gt;</w:t><w:br/>'
            f"<w:t>{DUTY}</w:t></w:r></w:p>")
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + body + "</w:body></w:document>")
    return document, zip_of([
        ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        ("word/document.xml", document),
    ])


def odt():
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office='
               '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
               'opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
               f'<text:h text:outline-level="1">{TITLE}</text:h><text:p>{SENTENCE}'
               '<text:s text:c="3"/>甲<text:tab/>乙<text:line-break/>'
               f'<text:span text:style-name="T1">{DUTY}</text:span></text:p>'
               "</office:text></office:body></office:document-content>")
    return content, zip_of([
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
        ("content.xml", content),
    ], stored=("mimetype",))


def ofd_page(lines):
    xml = ('<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
           '<ofd:Content><ofd:Layer ID="2">')
    y = 20
    for i, line in enumerate(lines):
        half = len(line) // 2
        for j, part in enumerate((line[:half], line[half:])):
            xml += (f'<ofd:TextObject ID="{10 + 2 * i + j}" Boundary="20 {y} 170 8" Font="3" '
                    f'Size="4.2"><ofd:TextCode X="0" Y="6" DeltaX="g 3 4.2">{part}'
                    "</ofd:TextCode></ofd:TextObject>")
        y += 10
    return xml + "</ofd:Layer></ofd:Content></ofd:Page>"


def ofd():
    page = ofd_page([TITLE, SENTENCE])
    return page, zip_of([
        ("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'),
        ("Doc_0/Document.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'),
        ("Doc_0/Pages/Page_1/Content.xml", ofd_page([DUTY])),
        ("Doc_0/Pages/Page_0/Content.xml", page),
    ])


def pdf(lines):
    """tests/indexer/extract_test.cpp's makePdf: a Type0 font, Identity-H and a ToUnicode map."""
    units = sorted({ord(c) for line in lines for c in line})
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(units)} beginbfchar\n" + "".join(f"<{u:04X}> <{u:04X}>\n" for u in units)
            + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    content = "BT /F1 12 Tf 72 770 Td 14 TL\n" + "".join(
        "<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*\n" for line in lines) + "ET"
    stream = lambda data: f"<< /Length {len(data)} >>\nstream\n{data}\nendstream"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [7 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry "
        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>",
        stream(cmap),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] "
        "/ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
        "<< /F1 3 0 R >> >> /Contents 8 0 R >>",
        stream(content),
    ]
    out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return out


def tar_of(entries, fmt=tarfile.PAX_FORMAT):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1672992000
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info.size = len(content)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(content))
    data = out.getvalue().rstrip(b"\0")
    data += b"\0" * (-len(data) % 512)
    return data + b"\0" * 1024  # the two zero blocks, without the padding to 10 KiB


def main():
    # core: canonical JSON and the strict reader
    for i, text in enumerate([
            ' {"n":null,"t":true,"f":false,"i":-42,"d":0.5,"e":1E+3,"s":"x","a":[1,[],{}],"o":{"k":"v"}} ',
            '{"题名":"党费收缴情况公示","esc":"\\"\\\\\\/\\b\\f\\n\\r\\t","u":"\\u515a\\u8D39 \\u00e9\\u0041"}',
            '["\\ud83d\\ude00","\\uD840\\uDC00","😀𠀀"]',
            '{"a":{"a":1},"b":{"a":1},"x":[1e-7,123456789012,-0,0.1,1e21]}',
            '{"ab":1,"a\\u0062":2}']):
        write("json", f"seed{i}.json", text)
        write("json_reader", f"seed{i}.json", text)
    for name in ("archive.json", "time_limits.json", "visibility.json"):
        with open(os.path.join(ROOT, "policies", "data", name), "rb") as f:
            data = f.read()
        write("json_reader", name, data)
        write("json", name, data)
    write("json_reader", "bom.json", b"\xef\xbb\xbf{\"k\":[true,false,null]}\n")

    # core: signed notes, checkpoints, verifier keys
    key = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    text = ("If you think cryptography is the answer to your problem,\n"
            "then you don't know what your problem is.\n")
    signature = ("— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
                 "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
    write("signed_note", "note", text + "\n" + signature)
    write("signed_note", "key", key)
    write("signed_note", "keys", "# keys\n\n" + key + "\n")
    write("signed_note", "checkpoint",
          "gongkai.example/审计\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nextension line\n")
    write("signed_note", "signed_checkpoint",
          "gongkai.example/audit\n1234\nYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=\n\n" + signature)

    # core: times and dates
    for i, t in enumerate(["2023-01-06T08:00:00.250+08:00", "2026-11-22T08:30:00.125Z",
                           "2024-02-29T23:59:59Z", "2023-01-06", "2999-12-31"]):
        write("time", f"seed{i}", t)

    # archive: reference codes (the codes and the policy's pattern)
    for i, c in enumerate(["J001-2023-Y-ZZ-0007", "J001-2023-D30-DF-0120", "ABCDEFGH12345678-1900-D10-AA-9999",
                           "{fonds}-{year}-{retention}-{category}-{item:4}"]):
        write("reference_code", f"seed{i}", c)

    # indexer: text and HTML, XML, zips and the documents inside them, PDF
    write("extract_html", "page.html",
          f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE}</title>'
          '<style>p{color:red}</style><script>var a="<p>";</script></head><body>'
          f"<h1>{TITLE}</h1><p>{SENTENCE}&nbsp;&amp;&#x4E00;&#20108;&lt;</p><br>{DUTY}"
          "<!-- comment --></body></html>")
    write("extract_html", "gbk.html",
          ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>'
           f"<body><p>{SENTENCE}</p></body></html>").encode("gbk"))
    write("extract_html", "utf16.txt", b"\xff\xfe" + SENTENCE.encode("utf-16-le"))
    write("extract_html", "gb18030.txt", DUTY.encode("gb18030"))
    docx_xml, docx_zip = docx()
    odt_xml, odt_zip = odt()
    ofd_xml, ofd_zip = ofd()
    write("extract_xml", "docx.xml", docx_xml)
    write("extract_xml", "odt.xml", odt_xml)
    write("extract_xml", "ofd.xml", ofd_xml)
    write("extract_xml", "gb18030.xml", '<?xml version="1.0" encoding="GB18030"?><OFD><P a="&amp;&#x4E00;">'
          .encode() + DUTY.encode("gb18030") + b"<![CDATA[<x>]]></P></OFD>")
    write("extract_xml", "doctype.xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
          '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>')
    for target in ("extract_zip", "extract_office"):
        write(target, "sample.docx", docx_zip)
        write(target, "sample.odt", odt_zip)
        write(target, "sample.ofd", ofd_zip)
    write("extract_zip", "stored.zip", zip_of([("a.txt", "x" * 40), ("b/", "")], stored=("a.txt", "b/")))
    # zip_directory: the first byte chooses the window (0: the whole file; see the target).
    write("zip_directory", "docx", b"\0" + docx_zip)
    write("zip_directory", "ofd_tail", b"\x80" + ofd_zip)
    write("zip_directory", "zip64", b"\0" + zip64(docx_zip))
    write("extract_pdf", "sample.pdf", pdf([TITLE, SENTENCE, DUTY]))
    with open(os.path.join(ROOT, "tests", "data", "extract", "encrypted.pdf"), "rb") as f:
        write("extract_pdf", "encrypted.pdf", f.read())

    # archive: tars as bundles are written, and files as bundles hold them
    bag = [("bag", None), ("bag/bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
           ("bag/data", None), ("bag/data/公开说明.txt", SENTENCE.encode()),
           ("bag/manifest-sha256.txt", b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/a.txt\n")]
    write("tar_reader", "bag_pax.tar", tar_of(bag))
    write("tar_reader", "bag_gnu.tar", tar_of(bag[:3], tarfile.GNU_FORMAT))
    write("tar_reader", "bag_ustar.tar", tar_of(bag[:2], tarfile.USTAR_FORMAT))
    # file_inspector: the first byte chooses the declared name and media type (see the target).
    inspect = [(0, pdf([TITLE])), (1, ofd_zip), (2, docx_zip), (3, odt_zip), (4, SENTENCE.encode()),
               (5, f"<html><body><p>{TITLE}</p><script>alert(1)</script></body></html>".encode()),
               (6, b'<?xml version="1.0"?><a href="javascript:x()"/>'),
               (8, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0"),
               (11, b"MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0"),
               (14 + 16 * 3, b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n")]
    for i, (choice, data) in enumerate(inspect):
        write("file_inspector", f"seed{i}", bytes([choice]) + data)

    # indexer: search queries as users type them
    for i, q in enumerate(["预算公开", 'title:"部门预算" AND 2023', "标题:决算 OR summary:公开 NOT 草稿",
                           "文号:京财预〔2023〕12号", "budget* -draft", "C++ 与 Python 混合 test123"]):
        write("search_query", f"seed{i}", q)


if __name__ == "__main__":
    main()
