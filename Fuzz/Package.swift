// swift-tools-version:6.0
// libFuzzer targets for curate's parsers and renderers. Built and run by Fuzz/run.sh
// (`swift build --sanitize=fuzzer --sanitize=address`); not part of the main package's build.
import PackageDescription

let fuzzTarget = { (name: String) -> Target in
    .executableTarget(
        name: name,
        dependencies: [.product(name: "CurateFuzzEntryPoints", package: "curate")],
        path: "Targets/\(name)",
        // libFuzzer provides main(); the Swift file only exports LLVMFuzzerTestOneInput.
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "curate-fuzz",
    dependencies: [.package(name: "curate", path: "..")],
    targets: ["FuzzSplitter", "FuzzTokenizer", "FuzzRenderers"].map(fuzzTarget),
    swiftLanguageModes: [.v6]
)
