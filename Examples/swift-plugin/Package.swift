// swift-tools-version:6.0
// archive-curate: curate plus the archive plugin (`\filehistory`, `\requeue`).
//
// An example of a Swift plugin package: it depends on curate's CurateKit (the plugin API) and
// CurateShell (the shell's entry point), and its executable is curate with one more plugin.
import PackageDescription

let package = Package(
    name: "archive-curate",
    products: [
        // Not `curate-NAME`: that name pattern is for external plugins, which curate would start.
        .executable(name: "archive-curate", targets: ["ArchiveCurate"]),
    ],
    dependencies: [
        // curate, two folders up in this repository. A package of your own names curate's
        // repository instead: .package(url: "<curate's git URL>", branch: "main").
        .package(name: "curate", path: "../.."),
        // Commands are argument-parser commands: the plugin imports ArgumentParser itself.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The plugin: CurateKit only, exactly what the built-in plugins see.
        .target(
            name: "ArchivePlugin",
            dependencies: [
                .product(name: "CurateKit", package: "curate"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // main.swift: curate's entry point with the plugin added.
        .executableTarget(
            name: "ArchiveCurate",
            dependencies: [
                "ArchivePlugin",
                .product(name: "CurateShell", package: "curate"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
