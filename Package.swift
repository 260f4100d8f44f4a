// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "curate",
    products: [
        .executable(name: "curate", targets: ["curate"]),
        // The plugin API: everything a plugin (built-in or third-party) may use.
        .library(name: "CurateKit", targets: ["CurateKit"]),
        // The shell's entry point, so another package can build "curate plus its plugins".
        .library(name: "CurateShell", targets: ["CurateShell"]),
        // For Fuzz/Package.swift only (the libFuzzer targets): not an API.
        .library(name: "CurateFuzzEntryPoints", targets: ["CurateFuzzEntryPoints"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 of backups (BoringSSL's implementation, with the CPU's SHA instructions).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `swift package generate-documentation --target CurateKit`: the plugin API's DocC docs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries, found through pkg-config; apt names for a helpful error when missing.
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibEdit",
            path: "Sources/CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // zlib, for reading the gzip-compressed data blocks of custom-format backups as pg_dump writes them.
        .systemLibrary(
            name: "CZlib",
            path: "Plugins/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Thin C helpers for CurateKit: the SIGINT handler (no Swift in signal context) and
        // terminal reads; libpq only, so a plugin package needs no libedit.
        .target(
            name: "CCurateSupport",
            dependencies: ["CLibPQ"],
            path: "Sources/CCurateSupport"
        ),
        // The shell's line editor: non-variadic libedit wrappers.
        .target(
            name: "CCurateLineEdit",
            dependencies: ["CCurateSupport", "CLibEdit"],
            path: "Sources/CCurateLineEdit"
        ),
        .target(
            name: "CurateKit",
            dependencies: [
                "CLibPQ",
                "CCurateSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CurateKit"
        ),
        .target(
            name: "CurateShell",
            dependencies: [
                "CurateKit",
                "CCurateSupport",
                "CCurateLineEdit",
                "CLibEdit",
                "SQLPlugin",
                "CheckPlugin",
                "FixPlugin",
                "BackupPlugin",
                "RestorePlugin",
                "RowPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `--lint` reads check packs as the check plugin loads them.
                "CurateChecks",
            ],
            path: "Sources/CurateShell"
        ),
        .executableTarget(
            name: "curate",
            dependencies: ["CurateShell"],
            path: "Sources/curate"
        ),
        // Built-in plugins: CurateKit's public API only.
        .target(
            name: "SQLPlugin",
            dependencies: ["CurateKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/SQL"
        ),
        // The checks both `check` and `fix` use (a library of definitions, not a plugin).
        .target(
            name: "CurateChecks",
            dependencies: ["CurateKit"],
            path: "Plugins/Checks"
        ),
        .target(
            name: "CheckPlugin",
            dependencies: ["CurateKit", "CurateChecks", "BackupPlugin", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/Check"
        ),
        .target(
            name: "FixPlugin",
            dependencies: ["CurateKit", "CurateChecks", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/Fix"
        ),
        .target(
            name: "BackupPlugin",
            dependencies: ["CurateKit", "CZlib", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Backup"
        ),
        .target(
            name: "RestorePlugin",
            dependencies: ["CurateKit", "BackupPlugin", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/Restore"
        ),
        .target(
            name: "RowPlugin",
            dependencies: ["CurateKit", "CurateChecks", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/Row"
        ),
        // The fuzzing harness's way in: public functions that drive the splitter, the argument
        // tokenizer and the renderers (Fuzz/run.sh builds libFuzzer targets on them; the tests
        // replay the saved corpus through them).
        .target(
            name: "CurateFuzzEntryPoints",
            dependencies: ["CurateShell", "CurateKit"],
            path: "Fuzz/EntryPoints"
        ),
        // Tests
        .target(
            name: "CTestPTY",
            path: "Tests/CTestPTY"
        ),
        .target(
            name: "CurateTestSupport",
            dependencies: ["CTestPTY"],
            path: "Tests/CurateTestSupport"
        ),
        .testTarget(
            name: "CurateKitTests",
            dependencies: ["CurateKit", "CurateTestSupport"],
            path: "Tests/CurateKitTests"
        ),
        .testTarget(
            name: "CurateShellTests",
            dependencies: ["CurateShell", "CurateKit", "CurateFuzzEntryPoints", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/CurateShellTests"
        ),
        .testTarget(
            name: "BackupRestoreTests",
            dependencies: ["CurateTestSupport", "CurateKit", "BackupPlugin", "RestorePlugin"],
            path: "Tests/BackupRestoreTests"
        ),
        .testTarget(
            name: "CheckFixTests",
            dependencies: ["CurateTestSupport", "CurateKit", "CurateChecks", "FixPlugin"],
            path: "Tests/CheckFixTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CurateTestSupport"],
            path: "Tests/IntegrationTests",
            exclude: ["Transcripts", "ExternalPlugins", "Parity"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
