import BackupPlugin
@testable import CurateKit
import Testing

@Suite("Backup and restore progress line")
struct ProgressLineTests {
    @Test("a detail is shown after done/total in place of the rate")
    func detail() {
        let progress = Progress(label: "backup fitsdata", total: 4, console: Console(outputDescriptor: -1, errorDescriptor: -1), enabled: false)
        #expect(!progress.isVisible)
        progress.detail = "tables, 64.9 MB written"
        progress.update(done: 2)
        let text = progress.line(now: Progress.now() + 10)
        #expect(text.hasPrefix("backup fitsdata [##########          ] 2/4 tables, 64.9 MB written ETA 0:"), "\(text)")
        #expect(!text.contains("/s)"), "\(text)")
        progress.detail = nil
        #expect(progress.line(now: Progress.now() + 10).hasSuffix("/s)"))
    }

    @Test("tables done: a single run names the table it starts on, a parallel one each it finished")
    func tableCount() {
        var single = TableCount()
        let unrelated = single.take("pg_dump: reading dependency data")
        #expect(!unrelated)
        let first = single.take("pg_dump: dumping contents of table \"public.diskfile\"")
        #expect(first && single.done == 0)
        let second = single.take("pg_dump: dumping contents of table \"public.file\"")
        #expect(second && single.done == 1)
        var parallel = TableCount()
        for line in ["pg_restore: launching item 3380 TABLE DATA file", "pg_restore: processing data for table \"public.file\"",
                     "pg_restore: processing data for table \"public.header\"", "pg_restore: finished item 3380 TABLE DATA file"] {
            _ = parallel.take(line)
        }
        #expect(parallel.done == 1)
        _ = parallel.take("pg_restore: finished item 3384 TABLE DATA header")
        #expect(parallel.done == 2)
    }
}
