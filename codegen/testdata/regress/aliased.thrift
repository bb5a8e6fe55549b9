// aliased's package name, aliasedpkg, differs from the last element of
// its directory, regress/AliasedPkg: importers alias it.
namespace go regress.AliasedPkg

struct Tag {
  1: string name
}
