import Foundation

/// What `pgbackrest info --output=json` says of one stanza: only the fields curate reads.
/// The JSON is decoded, never pgBackRest's human text.
public struct PgBackRestStanzaInfo: Decodable, Sendable {
    public struct Status: Decodable, Sendable {
        public var code: Int
        public var message: String
    }

    /// A WAL archive of one database history: the oldest and newest segment it holds.
    public struct Archive: Decodable, Sendable {
        public var id: String
        public var min: String?
        public var max: String?
    }

    public struct Backup: Decodable, Sendable {
        public struct Timestamp: Decodable, Sendable {
            public var start: Int
            public var stop: Int
        }

        public struct Sizes: Decodable, Sendable {
            public struct Repository: Decodable, Sendable {
                public var size: Int64?
                public var delta: Int64?
            }

            /// Bytes of the database when restored (the scratch cluster's size).
            public var size: Int64
            /// Bytes this backup copied.
            public var delta: Int64
            public var repository: Repository?
        }

        public struct WALRange: Decodable, Sendable {
            public var start: String?
            public var stop: String?
        }

        public var label: String
        /// full, diff or incr.
        public var type: String
        public var timestamp: Timestamp
        public var info: Sizes
        public var archive: WALRange?
        /// The backup an incremental or differential one is built on.
        public var prior: String?
        /// Every backup whose files this one uses.
        public var reference: [String]?
        /// pgBackRest found a page checksum error while copying.
        public var error: Bool?

        public var started: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.start)) }
        public var stopped: Date { Date(timeIntervalSince1970: TimeInterval(timestamp.stop)) }
        /// The full backup this one depends on (itself for a full backup).
        public var fullLabel: String { String(label.prefix { $0 != "_" }) }
    }

    public struct Database: Decodable, Sendable {
        public var id: Int
        public var version: String
    }

    public var name: String
    public var status: Status
    public var backup: [Backup]
    public var archive: [Archive]
    public var db: [Database]

    /// Decodes the whole output of `info --output=json` (an array of stanzas).
    public static func decode(_ data: [UInt8]) throws -> [PgBackRestStanzaInfo] {
        try JSONDecoder().decode([PgBackRestStanzaInfo].self, from: Data(data))
    }
}
