import CurateShell

#if canImport(Glibc)
import Glibc
#endif

exit(CurateMain.run())
