import Plot

/// The one place where text and attribute values are escaped for HTML.
///
/// Plot 0.14 writes attribute values verbatim (`name="value"`), and its text escaping compares
/// Characters, so `<` or `"` followed by a combining mark slips through, and it keeps anything that
/// looks like an entity (`&amp;` typed by a user would come back as `&`). The extensions below
/// redeclare, with the same signatures, every Plot helper that takes text or an attribute value.
/// Because this module imports Plot, Swift prefers these declarations over Plot's in every file of
/// FallwerkWeb and of modules that import FallwerkWeb, so no page can forget to escape.
/// `HTMLEscapingTests` renders each helper with hostile input and fails if one is missed.
public enum HTMLEscape {
    /// For attribute values in double quotes: `& < > " '` (by Unicode scalar, not Character).
    public static func attribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    /// For element content: `& < >` (by Unicode scalar); every `&` is escaped, entities included.
    public static func text(_ value: String) -> String {
        escape(value, quotes: false)
    }

    static func escape(_ value: String, quotes: Bool) -> String {
        var result = String.UnicodeScalarView()
        result.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where quotes: result.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where quotes: result.append(contentsOf: "&#39;".unicodeScalars)
            case "\u{0}": result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}

// MARK: - Text

public extension Node {
    /// Text content, escaped completely (Plot's own `.text` keeps entity-like sequences).
    static func text(_ text: String) -> Node {
        .raw(HTMLEscape.text(text))
    }

    /// A custom attribute with an escaped value.
    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        .attribute(Attribute<Context>(name: name, value: value.map(HTMLEscape.attribute), ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }
}

public extension Attribute {
    static func attribute(named name: String, value: String?) -> Self {
        Attribute(name: name, value: value.map(HTMLEscape.attribute))
    }
}

// MARK: - Global attributes

public extension Attribute where Context: HTMLContext {
    static func id(_ id: String) -> Attribute { .attribute(named: "id", value: id) }
    static func `class`(_ className: String) -> Attribute { .attribute(named: "class", value: className) }
    static func data(named name: String, value: String) -> Attribute { .attribute(named: "data-\(name)", value: value) }
    static func title(_ title: String) -> Attribute { .attribute(named: "title", value: title) }
}

public extension Node where Context: HTMLContext {
    static func id(_ id: String) -> Node { .attribute(named: "id", value: id) }
    static func `class`(_ className: String) -> Node { .attribute(named: "class", value: className) }
    static func data(named name: String, value: String) -> Node { .attribute(named: "data-\(name)", value: value) }
    static func title(_ title: String) -> Node { .attribute(named: "title", value: title) }
}

// MARK: - Names, values, links

public extension Attribute where Context: HTMLNamableContext {
    static func name(_ name: String) -> Attribute { .attribute(named: "name", value: name) }
}

public extension Node where Context: HTMLNamableContext {
    static func name(_ name: String) -> Node { .attribute(named: "name", value: name) }
}

public extension Attribute where Context: HTMLValueContext {
    static func value(_ value: String) -> Attribute {
        Attribute(name: "value", value: HTMLEscape.attribute(value), ignoreIfValueIsEmpty: false)
    }
}

public extension Node where Context: HTMLValueContext {
    static func value(_ value: String) -> Node {
        .attribute(named: "value", value: value, ignoreIfValueIsEmpty: false)
    }
}

public extension Attribute where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Attribute { .attribute(named: "href", value: url.description) }
}

public extension Node where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Node { .attribute(named: "href", value: url.description) }
}

public extension Attribute where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Attribute { .attribute(named: "src", value: url.description) }
}

public extension Node where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Node { .attribute(named: "src", value: url.description) }
}

// MARK: - Forms

public extension Node where Context == HTML.FormContext {
    static func action(_ url: URLRepresentable) -> Node { .attribute(named: "action", value: url.description) }
}

public extension Node where Context == HTML.LabelContext {
    static func `for`(_ target: String) -> Node { .attribute(named: "for", value: target) }
}

public extension Attribute where Context == HTML.InputContext {
    static func placeholder(_ placeholder: String) -> Attribute { .attribute(named: "placeholder", value: placeholder) }
}

public extension Node where Context == HTML.TextAreaContext {
    static func placeholder(_ placeholder: String) -> Node { .attribute(named: "placeholder", value: placeholder) }
}

public extension Attribute where Context == HTML.OptionContext {
    static func label(_ label: String) -> Attribute {
        Attribute(name: "label", value: HTMLEscape.attribute(label), ignoreIfValueIsEmpty: false)
    }
}

public extension Attribute where Context == HTML.MetaContext {
    static func content(_ content: String) -> Attribute { .attribute(named: "content", value: content) }
}

public extension Attribute where Context == HTML.ImageContext {
    static func alt(_ text: String) -> Attribute { .attribute(named: "alt", value: text) }
}

extension HTMLEscape {
    /// One element per redeclared helper, rendered with `value` (for the escaping test; it runs
    /// here because only inside FallwerkWeb do these declarations win over Plot's).
    public static func sampleOfEveryHelper(_ value: String) -> String {
        let v = value
        let div: Node<HTML.BodyContext> = .div(.id(v), .class(v), .data(named: "n", value: v), .title(v), .text(v))
        let link: Node<HTML.BodyContext> = .a(.href(v), .text(v))
        let input: Node<HTML.FormContext> = .input(.name(v), .value(v), .placeholder(v))
        let form: Node<HTML.BodyContext> = .form(.action(v), input)
        let label: Node<HTML.BodyContext> = .label(.for(v), .text(v))
        let area: Node<HTML.BodyContext> = .textarea(.name(v), .placeholder(v), .text(v))
        let image: Node<HTML.BodyContext> = .img(.src(v), .alt(v))
        let option: Node<HTML.BodyContext> = .element(named: "option", nodes: [.attribute(named: "value", value: v)])
        let attributes: [Attribute<HTML.InputContext>] = [.attribute(named: "value", value: v)]
        let raw: Node<HTML.BodyContext> = .selfClosedElement(named: "input", attributes: attributes)
        return HTML(.body(div, link, form, label, area, image, option, raw)).render()
    }
}
