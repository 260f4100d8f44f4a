/* curate's version and the commit it was built from, read when this file is compiled:
   the version from the VERSION file at the top of the source tree (its one place), the commit
   from `.curate-commit`, which scripts/package writes before a release build. A plain
   `swift build` (a clone, a source tarball without .git) has no such file: "unknown commit".
   #embed (C23, supported by the toolchain's clang in any C mode) makes the file a dependency
   of this object, so editing VERSION rebuilds it. */
#pragma clang diagnostic ignored "-Wc23-extensions"

#include "CCurateSupport.h"

static const char version[] = {
#embed "../../VERSION"
    , 0};

#if __has_embed("../../.curate-commit") == __STDC_EMBED_FOUND__
static const char commit[] = {
#embed "../../.curate-commit"
    , 0};
#else
static const char commit[] = "";
#endif

const char *curate_build_version(void) { return version; }

const char *curate_build_commit(void) { return commit; }
