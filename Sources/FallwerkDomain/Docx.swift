import Foundation

/// A heading with its paragraphs. A paragraph's single line breaks stay line breaks in Word.
public struct DocxSection: Hashable, Sendable {
    public var heading: String
    public var paragraphs: [String]
    /// 1 → Heading1, 2 → Heading2.
    public var level: Int
    /// A table after the paragraphs: rows of cells, the first row the header (R30: the report's figures).
    public var table: [[String]]

    public init(heading: String, paragraphs: [String], level: Int = 1, table: [[String]] = []) {
        self.heading = heading
        self.paragraphs = paragraphs
        self.level = level
        self.table = table
    }
}

/// A minimal editable Word document (R19: reports are downloaded as DOCX and edited there): title,
/// a few lines under it, and sections. Office Open XML (ECMA-376) in a stored ZIP.
public struct DocxDocument: Hashable, Sendable {
    public var title: String
    /// Lines printed under the title (file number, period), without a heading.
    public var preamble: [String]
    public var sections: [DocxSection]

    public init(title: String, preamble: [String] = [], sections: [DocxSection]) {
        self.title = title
        self.preamble = preamble
        self.sections = sections
    }

    public static let contentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// The .docx bytes; `modified` is the ZIP entries' timestamp (passed in: no clock).
    public func data(modified: DosTimestamp = .epoch) -> Data {
        StoredZip.archive([
            ZipEntry(name: "[Content_Types].xml", data: Data(Self.contentTypes.utf8)),
            ZipEntry(name: "_rels/.rels", data: Data(Self.packageRelationships.utf8)),
            ZipEntry(name: "word/_rels/document.xml.rels", data: Data(Self.documentRelationships.utf8)),
            ZipEntry(name: "word/document.xml", data: Data(documentXML.utf8)),
            ZipEntry(name: "word/styles.xml", data: Data(Self.styles.utf8)),
        ], modified: modified)
    }

    public var documentXML: String {
        var body = Self.paragraph(title, style: "Title")
        for line in preamble { body += Self.paragraph(line, style: nil) }
        for section in sections {
            body += Self.paragraph(section.heading, style: section.level >= 2 ? "Heading2" : "Heading1")
            for text in section.paragraphs { body += Self.paragraph(text, style: nil) }
            if !section.table.isEmpty { body += Self.table(section.table) }
        }
        return Self.xmlHeader
            + "<w:document xmlns:w=\"\(Self.wordNamespace)\"><w:body>" + body
            + "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"   // A4 in twentieths of a point
            + "<w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1134\" w:left=\"1417\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/>"
            + "</w:sectPr></w:body></w:document>"
    }

    static func paragraph(_ text: String, style: String?) -> String {
        var xml = "<w:p>"
        if let style { xml += "<w:pPr><w:pStyle w:val=\"\(style)\"/></w:pPr>" }
        let lines = text.replacingAll("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        xml += "<w:r>"
        for (index, line) in lines.enumerated() {
            if index > 0 { xml += "<w:br/>" }
            xml += "<w:t xml:space=\"preserve\">\(escape(String(line)))</w:t>"
        }
        return xml + "</w:r></w:p>"
    }

    /// A table with single borders and a bold header row, spread evenly over the text width (9072 twips on A4).
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        guard columns > 0 else { return "" }
        let width = 9_072 / columns
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\""
        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(width * columns)\" w:type=\"dxa\"/><w:tblBorders>"
            + ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(border)/>" }.joined()
            + "</w:tblBorders></w:tblPr><w:tblGrid>" + String(repeating: "<w:gridCol w:w=\"\(width)\"/>", count: columns) + "</w:tblGrid>"
        for (index, row) in rows.enumerated() {
            xml += "<w:tr>"
            for column in 0..<columns {
                let text = column < row.count ? row[column] : ""
                let bold = index == 0 ? "<w:rPr><w:b/></w:rPr>" : ""
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr>"
                    + "<w:r>\(bold)<w:t xml:space=\"preserve\">\(escape(text))</w:t></w:r></w:p></w:tc>"
            }
            xml += "</w:tr>"
        }
        // Word needs a paragraph between a table and what follows.
        return xml + "</w:tbl><w:p/>"
    }

    /// XML text escaping; characters XML 1.0 forbids (most control characters) are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D { continue }
                if v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = xmlHeader
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
        + "</Types>"

    static let packageRelationships = xmlHeader
        + "<Relationships xmlns=\"\(relationshipsNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"\(officeRelationships)/officeDocument\" Target=\"word/document.xml\"/>"
        + "</Relationships>"

    static let documentRelationships = xmlHeader
        + "<Relationships xmlns=\"\(relationshipsNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"\(officeRelationships)/styles\" Target=\"styles.xml\"/>"
        + "</Relationships>"

    /// Word's built-in style names ("heading 1"), so the headings land in Word's and LibreOffice's outline.
    static let styles = xmlHeader
        + "<w:styles xmlns:w=\"\(wordNamespace)\">"
        + "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>"
        + "<w:sz w:val=\"22\"/><w:lang w:val=\"de-DE\"/></w:rPr></w:rPrDefault>"
        + "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
        + style(id: "Title", name: "Title", size: 36, outline: nil)
        + style(id: "Heading1", name: "heading 1", size: 28, outline: 0)
        + style(id: "Heading2", name: "heading 2", size: 24, outline: 1)
        + "</w:styles>"

    static func style(id: String, name: String, size: Int, outline: Int?) -> String {
        "<w:style w:type=\"paragraph\" w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/>"
            + "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
            + "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>"
            + (outline.map { "<w:outlineLvl w:val=\"\($0)\"/>" } ?? "") + "</w:pPr>"
            + "<w:rPr><w:b/><w:sz w:val=\"\(size)\"/></w:rPr></w:style>"
    }
}

extension DocxDocument {
    /// A report as an editable document (R19). `preamble` carries the case's file number and the like.
    public init(report: Report, preamble: [String] = []) {
        self.init(title: report.kind.german,
                  preamble: preamble + ["Berichtszeitraum: \(report.periodFrom.german) – \(report.periodTo.german)"],
                  sections: report.sections.map { DocxSection(heading: $0.heading, paragraphs: $0.paragraphs) })
    }
}
