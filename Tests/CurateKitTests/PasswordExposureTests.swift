import CurateKit
import CurateTestSupport
import Foundation
import Testing

/// A plugin cannot read the connection's password through CurateKit: after connecting with one
/// (the SCRAM role scripts/test makes), nothing a plugin can reach holds it — `Session.info`,
/// the server settings, printing or reflecting (`Mirror`, `dump`) the session or its parameters.
/// (The password stays in the package-internal `ConnectionParameters.password`, which only the
/// session and `ClientProgram`'s private passfile use.) Imported without `@testable`: the
/// public and package surface only.
@Suite("The password is out of a plugin's reach",
       .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
struct PasswordExposureTests {
    let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] ?? ""
    let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] ?? ""

    /// Every value reachable by reflecting `subject`, as text (nested children included).
    private func reflectedText(_ subject: Any, depth: Int = 0) -> String {
        guard depth < 8 else { return "" }
        var text = String(describing: subject) + "\n" + String(reflecting: subject) + "\n"
        for child in Mirror(reflecting: subject).children {
            text += (child.label ?? "") + "=" + reflectedText(child.value, depth: depth + 1)
        }
        return text
    }

    @Test("a session connected with a password: its info, settings, description, Mirror and dump hold no password")
    func sessionSurface() throws {
        let server = try TestServer.fromEnvironment()
        var parameters = ConnectionParameters(database: "postgres", host: server.host, port: server.port, user: role)
        parameters.password = password
        let session = try Session(parameters: parameters)
        #expect(session.info.user == role)
        #expect(try session.execute("SELECT current_user AS u").rows[0]["u"] == role)

        // The public accessors.
        let info = reflectedText(session.info)
        #expect(info.contains(role))
        #expect(!info.contains(password), "\(info)")
        for name in ["server_version", "session_authorization", "application_name", "is_superuser", "default_transaction_read_only",
                     "DateStyle", "TimeZone", "client_encoding"] {
            #expect(session.parameterStatus(name)?.contains(password) != true, "\(name)")
        }
        #expect(session.parameterStatus("password") == nil)

        // Reflection and printing of the whole session (private stored properties included).
        let reflected = reflectedText(session)
        #expect(reflected.contains("hasPassword"), "the parameters were reached: \(reflected.prefix(2000))")
        #expect(!reflected.contains(password), "\(reflected)")
        var dumped = ""
        dump(session, to: &dumped)
        #expect(!dumped.contains(password), "\(dumped)")

        // The parameters themselves, as a plugin might print them.
        #expect(!String(describing: parameters).contains(password))
        #expect(!String(reflecting: parameters).contains(password))
        #expect(String(describing: parameters).contains("password: hidden"))
        var dumpedParameters = ""
        dump(parameters, to: &dumpedParameters)
        #expect(!dumpedParameters.contains(password), "\(dumpedParameters)")
    }

    @Test("ConnectionParameters without a server: printing and Mirror say only whether there is a password")
    func parametersAlone() {
        var parameters = ConnectionParameters(database: "fits", host: "db.example.org", port: "5432", user: "curator")
        #expect(String(describing: parameters).contains("password: none"))
        parameters.password = "not-for-plugins-42"
        let children = Mirror(reflecting: parameters).children.map { ($0.label ?? "", "\($0.value)") }
        #expect(children.contains { $0.0 == "hasPassword" && $0.1 == "true" })
        #expect(!children.contains { $0.1.contains("not-for-plugins-42") })
        #expect(!"\(parameters)".contains("not-for-plugins-42"))
    }
}
