import FallwerkDomain
import FallwerkStore
import Plot

/// A case page: heading and the given sections.
public enum CasePageShell {
    public static func render(context: PageContext, record: CaseRecord, today: Day, sections: [Node<HTML.BodyContext>]) -> String {
        Layout.page(
            title: record.youngPerson.fullName, context: context,
            .h1(.text(record.youngPerson.fullName)),
            .p(.class("lead"), .text("\(record.fileNumber) · \(record.offerName) · \(record.youthOfficeName) · \(record.status(on: today).german)")),
            .group(sections)
        )
    }
}
