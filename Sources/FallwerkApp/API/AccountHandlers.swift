import FallwerkAPI
import FallwerkDomain
import FallwerkStore
import Foundation
import OpenAPIRuntime
import Vapor

/// Accounts that end (issue 16): deactivation by an administrator, the own password.
extension APIHandler {
    func deactivateUser(_ input: Operations.DeactivateUser.Input) async throws -> Operations.DeactivateUser.Output {
        let (req, context) = try context()
        try await UserStore.setActive(try uuid(input.path.id), false, context: context, on: req.db)
        return .noContent(.init())
    }

    func activateUser(_ input: Operations.ActivateUser.Input) async throws -> Operations.ActivateUser.Output {
        let (req, context) = try context()
        try await UserStore.setActive(try uuid(input.path.id), true, context: context, on: req.db)
        return .noContent(.init())
    }

    func changeOwnPassword(_ input: Operations.ChangeOwnPassword.Input) async throws -> Operations.ChangeOwnPassword.Output {
        let req = try APIContext.current()
        guard case .json(let body) = input.body else { throw Problem(.badRequest, "Bitte JSON senden.") }
        try await Accounts.changeOwnPassword(PasswordChange(currentPassword: body.currentPassword, newPassword: body.newPassword), on: req)
        return .noContent(.init())
    }
}
