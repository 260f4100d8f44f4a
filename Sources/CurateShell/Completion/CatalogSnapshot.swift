import Foundation
import Synchronization

/// The names Tab completion offers, read from the database's catalog.
///
/// A value: copies are cheap, and the lookup index (`CatalogIndex`) is built on first use and
/// shared by the copies; changing `tables`, `schemas` or `functions` starts a fresh one.
struct CatalogSnapshot: Sendable {
    struct Table: Sendable {
        var schema: String
        var name: String
        var columns: [String]
    }

    /// Tables, views, materialized views, foreign tables.
    var tables: [Table] { didSet { indexCache = CatalogIndexCache() } }
    var schemas: [String] { didSet { indexCache = CatalogIndexCache() } }
    /// Function names (optional: may be empty).
    var functions: [String] { didSet { indexCache = CatalogIndexCache() } }

    private var indexCache = CatalogIndexCache()

    init(tables: [Table], schemas: [String], functions: [String] = []) {
        self.tables = tables
        self.schemas = schemas
        self.functions = functions
    }

    /// Sorted lookups over the names, built on first use (about 20 ms for 1,000 tables of 20
    /// columns in a release build) and kept; each completion then takes well under a millisecond.
    var index: CatalogIndex {
        indexCache.index { CatalogIndex(self) }
    }

    /// Builds the index now, e.g. right after reading the catalog, so the first Tab does not wait for it.
    func prepareIndex() {
        _ = index
    }
}

/// Holds a snapshot's index once built. Thread-safe: completion may run on any thread.
final class CatalogIndexCache: Sendable {
    private let built = Mutex<CatalogIndex?>(nil)

    func index(build: () -> CatalogIndex) -> CatalogIndex {
        built.withLock { built in
            if let built { return built }
            let index = build()
            built = index
            return index
        }
    }
}
