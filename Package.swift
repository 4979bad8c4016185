// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "slipway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slipway", targets: ["slipway"]),
        .library(name: "SQLiteKit", targets: ["SQLiteKit"]),
        .library(name: "MigrationCore", targets: ["MigrationCore"]),
        .library(name: "SSH", targets: ["SSH"]),
        .library(name: "DeployCore", targets: ["DeployCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C boundaries: the only targets that see C headers.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),

        .target(name: "SQLiteKit", dependencies: ["CSQLite"]),
        .target(
            name: "MigrationCore",
            dependencies: [
                "SQLiteKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // libssh2 without deploy knowledge: connect, host keys, auth, channels, SFTP.
        .target(
            name: "SSH",
            dependencies: ["CLibSSH2", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "DeployCore",
            dependencies: ["MigrationCore", "SSH", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(
            name: "slipway",
            dependencies: [
                "MigrationCore", "DeployCore", "SQLiteKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit"]),
        .testTarget(
            name: "MigrationCoreTests",
            dependencies: [
                "MigrationCore", "SQLiteKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        // Test harness shared by the test targets: processes, temp folders, a real sshd.
        .target(name: "TestSupport", dependencies: ["DeployCore"], path: "Tests/Support"),
        .testTarget(name: "SSHTests", dependencies: ["SSH", "TestSupport"]),
        .testTarget(name: "DeployCoreTests", dependencies: ["DeployCore", "MigrationCore"]),
        // Depends on the executable so `swift build --build-tests` builds the binary the tests run.
        .testTarget(name: "slipwayTests", dependencies: ["slipway", "SQLiteKit", "DeployCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
