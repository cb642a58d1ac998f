import Vapor

/// Async middleware and the route they guard, run one after another in one task.
///
/// Vapor chains middleware through event-loop futures: every `AsyncMiddleware` (and an async route)
/// starts a task of its own and hands its answer back to the event loop, which wakes the next one. An
/// API call passed eight of them, so a request cost sixteen hand-overs between threads before and after
/// any work (issue 12, decision 0033). Here each middleware calls the next directly, and an async
/// responder at the end is awaited, not bridged. Task-local values bound by one middleware are seen by
/// all after it, as before.
struct InlineChain: AsyncResponder {
    let middleware: [any AsyncMiddleware]
    let responder: any Responder

    func respond(to request: Request) async throws -> Response {
        try await respond(to: request, from: 0)
    }

    fileprivate func respond(to request: Request, from index: Int) async throws -> Response {
        guard index < middleware.count else {
            if let responder = responder as? any AsyncResponder { return try await responder.respond(to: request) }
            return try await responder.respond(to: request).get()
        }
        return try await middleware[index].respond(to: request, chainingTo: Rest(chain: self, index: index + 1))
    }

    /// What follows middleware `index - 1`.
    private struct Rest: AsyncResponder {
        let chain: InlineChain
        let index: Int

        func respond(to request: Request) async throws -> Response {
            try await chain.respond(to: request, from: index)
        }
    }
}

/// Several async middleware as one, in one task (`InlineChain`): for `app.middleware`, whose end is
/// Vapor's router.
struct InlineMiddleware: AsyncMiddleware {
    let middleware: [any AsyncMiddleware]

    init(_ middleware: any AsyncMiddleware...) {
        self.middleware = middleware
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await InlineChain(middleware: middleware, responder: next).respond(to: request)
    }
}

/// `grouped(_:)` for async middleware: every route added through it runs them and its own responder in
/// the route's one task (`InlineChain`); routes that wrap their responder the same way (`PolicyRoutes`)
/// stay in it.
struct InlineGroup: RoutesBuilder {
    let base: any RoutesBuilder
    let middleware: [any AsyncMiddleware]

    init(_ base: any RoutesBuilder, _ middleware: any AsyncMiddleware...) {
        self.base = base
        self.middleware = middleware
    }

    func add(_ route: Route) {
        route.responder = InlineChain(middleware: middleware, responder: route.responder)
        base.add(route)
    }
}
