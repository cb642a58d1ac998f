import FallwerkDomain
import Plot

/// Accessible form fields: label, hint and German error message tied to the input, the typed
/// value kept after a failed save.
public enum Forms {
    public static func fieldID(_ name: String, scope: String = "") -> String {
        "f-" + (scope.isEmpty ? "" : scope + "-") + String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    public static func csrf<C: HTML.BodyContext>(_ token: String) -> Node<C> {
        .input(.type(.hidden), .name("_csrf"), .value(token))
    }

    /// "Bitte prüfen Sie …" with a link to every bad field; announced to screen readers.
    public static func errorSummary<C: HTML.BodyContext>(_ state: FormState) -> Node<C> {
        .if(state.hasErrors, .div(
            .class("error-summary"), .attribute(named: "role", value: "alert"), .attribute(named: "tabindex", value: "-1"),
            .h2(.text("Bitte prüfen Sie Ihre Eingaben")),
            .ul(.forEach(state.errors) { error in
                .li(.a(.href("#" + fieldID(error.field, scope: state.idScope)), .text(error.message)))
            })
        ))
    }

    public struct Options {
        public var type: HTMLInputType = .text
        public var hint: String?
        public var required = false
        public var autocomplete: String?
        public var inputMode: String?
        public var readOnly = false
        public var placeholder: String?

        public init(type: HTMLInputType = .text, hint: String? = nil, required: Bool = false, autocomplete: String? = nil,
                    inputMode: String? = nil, readOnly: Bool = false, placeholder: String? = nil) {
            self.type = type
            self.hint = hint
            self.required = required
            self.autocomplete = autocomplete
            self.inputMode = inputMode
            self.readOnly = readOnly
            self.placeholder = placeholder
        }
    }

    public static func text<C: HTML.BodyContext>(_ name: String, _ label: String, _ state: FormState, _ options: Options = Options()) -> Node<C> {
        let id = fieldID(name, scope: state.idScope)
        let error = state.error(name)
        var attributes: [Attribute<HTML.InputContext>] = [
            .type(options.type), .id(id), .name(name), .value(state[name]),
        ]
        if options.required { attributes.append(.required(true)) }
        if options.readOnly { attributes.append(.readonly(true)) }
        if let placeholder = options.placeholder { attributes.append(.placeholder(placeholder)) }
        if let autocomplete = options.autocomplete { attributes.append(.attribute(named: "autocomplete", value: autocomplete)) }
        if let inputMode = options.inputMode { attributes.append(.attribute(named: "inputmode", value: inputMode)) }
        if error != nil { attributes.append(.attribute(named: "aria-invalid", value: "true")) }
        let described = [options.hint.map { _ in id + "-hint" }, error.map { _ in id + "-error" }].compactMap { $0 }
        if !described.isEmpty { attributes.append(.attribute(named: "aria-describedby", value: described.joined(separator: " "))) }
        return wrapper(id: id, label: label, required: options.required, hint: options.hint, error: error,
                       control: .selfClosedElement(named: "input", attributes: attributes))
    }

    public static func select<C: HTML.BodyContext>(
        _ name: String, _ label: String, _ state: FormState, options: [(value: String, label: String)],
        required: Bool = false, emptyLabel: String? = "– bitte wählen –", hint: String? = nil
    ) -> Node<C> {
        let id = fieldID(name, scope: state.idScope)
        let error = state.error(name)
        let current = state[name]
        let control: Node<HTML.BodyContext> = .element(named: "select", nodes: [
            .attribute(named: "id", value: id), .attribute(named: "name", value: name),
            .if(required, .attribute(named: "required", value: "required")),
            .if(error != nil, .attribute(named: "aria-invalid", value: "true")),
            .if(error != nil, .attribute(named: "aria-describedby", value: id + "-error")),
            .unwrap(emptyLabel) { .element(named: "option", nodes: [.attribute(named: "value", value: "", ignoreIfValueIsEmpty: false), .text($0)]) },
            .forEach(options) { option in
                .element(named: "option", nodes: [
                    .attribute(named: "value", value: option.value),
                    .if(option.value == current, .attribute(named: "selected", value: "selected")),
                    .text(option.label),
                ])
            },
        ])
        return wrapper(id: id, label: label, required: required, hint: hint, error: error, control: control)
    }

    public static func textArea<C: HTML.BodyContext>(_ name: String, _ label: String, _ state: FormState, hint: String? = nil) -> Node<C> {
        let id = fieldID(name, scope: state.idScope)
        let error = state.error(name)
        let control: Node<HTML.BodyContext> = .element(named: "textarea", nodes: [
            .attribute(named: "id", value: id), .attribute(named: "name", value: name), .attribute(named: "rows", value: "4"),
            .if(error != nil, .attribute(named: "aria-invalid", value: "true")),
            .text(state[name]),
        ])
        return wrapper(id: id, label: label, required: false, hint: hint, error: error, control: control)
    }

    /// Checkboxes sharing one name (e.g. the roles of a user).
    public static func checkboxes<C: HTML.BodyContext>(
        _ name: String, _ legend: String, _ state: FormState, options: [(value: String, label: String)]
    ) -> Node<C> {
        let selected = Set(state.multiValues[name] ?? [])
        let error = state.error(name)
        return .element(named: "fieldset", nodes: [
            .attribute(named: "id", value: fieldID(name, scope: state.idScope)),
            .class(error == nil ? "field checkboxes" : "field checkboxes has-error"),
            .element(named: "legend", nodes: [.text(legend)]),
            .unwrap(error) { .p(.class("field-error"), .text($0)) },
            .forEach(options) { option in
                .label(
                    .class("check"),
                    .input(.type(.checkbox), .name(name), .value(option.value),
                           .attribute(named: "checked", value: selected.contains(option.value) ? "checked" : nil)),
                    .text(" " + option.label)
                )
            },
        ])
    }

    public static func submit<C: HTML.BodyContext>(_ title: String = "Speichern", cancel: SiteURL? = nil) -> Node<C> {
        .div(
            .class("actions"),
            .button(.type(.submit), .class("button primary"), .text(title)),
            .unwrap(cancel) { .a(.class("button secondary"), .href($0.path), .text("Abbrechen")) }
        )
    }

    static func wrapper<C: HTML.BodyContext>(
        id: String, label: String, required: Bool, hint: String?, error: String?, control: Node<HTML.BodyContext>
    ) -> Node<C> {
        .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(id), .text(label), .if(required, .span(.class("required"), .attribute(named: "aria-hidden", value: "true"), .text(" *")))),
            .unwrap(hint) { .p(.class("hint"), .id(id + "-hint"), .text($0)) },
            .unwrap(error) { .p(.class("field-error"), .id(id + "-error"), .text($0)) },
            .element(named: "div", nodes: [.class("control"), control])
        )
    }
}
