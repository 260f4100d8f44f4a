import ArchivePlugin
import CurateShell

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// curate, with every built-in plugin, plus ours: registered after the built-ins, listed by
// `\plugins` with kind "Swift". The command line is curate's own (`archive-curate --help`).
exit(CurateMain.run(plugins: [ArchivePlugin()]))
