// Package thriftidl parses Apache Thrift IDL files into the intermediate
// form of package idl.
//
// Parse reads a root file and every file it includes, parses each once,
// resolves every name, checks every constant against its type, and
// returns an idl.Program. It accepts the full Thrift IDL as of Apache
// Thrift 0.2x, plus the deprecated "senum" (a typedef of string), "slist"
// (string) and "async" (oneway), each with a warning. C++ and XSD options
// (cpp_include, cpp_type, '&', xsd_all, xsd_optional, xsd_nillable,
// xsd_attrs) are accepted and ignored.
//
// # Names
//
// A file refers to the definitions of a file it includes as
// "<name>.Definition", where <name> is the included file's base name
// without ".thrift": shared.SharedStruct, shared.MY_CONST,
// shared.MyEnum.VALUE. Definitions may be used before they are declared.
// Keywords cannot be definition, enum value, function or annotation names;
// as in Apache Thrift, they can be field names.
//
// # Positions
//
// Every node's Pos is where it starts: definitions at their keyword
// ("struct", "const", ...), fields at their id (or requiredness, or type,
// when there is no id), functions at "oneway" or their result type, enum
// values and annotations at their name, namespaces and includes at their
// keyword, types and values at their first token. Col counts bytes.
//
// # Doc comments
//
// The comments directly above a definition, field, enum value or function
// become its Doc: a run of comments ("/** */", "/* */", "//" or "#")
// whose last one ends on the line before the item, with no blank line
// between them. A comment followed by a blank line, such as a license
// header, is not a doc comment. Comment markers are removed: "//" or "#"
// and one space; "/*", "/**" and "*/", and on the inner lines of a block
// comment the leading " * " (when every line has one) and the indentation
// common to the lines. Leading and trailing blank lines are dropped.
// A comment that follows a field, enum value, function, typedef or constant
// on the line it ends on is appended to its Doc, on a line of its own.
//
// # Checks
//
// Besides syntax, Parse reports unknown names, duplicate definitions,
// enum values, field ids and names, and function names (also against
// inherited functions), include and typedef and constant cycles, oneway
// functions with a result or exceptions, throws of non-exception types,
// required union fields, and constants and defaults that do not fit their
// type. Fields without an id get -1, -2, ... as in Apache Thrift; that and
// explicit non-positive ids draw a warning. A throws field whose type is
// a typedef of an exception gets the exception's type itself.
//
// # Constants
//
// Values convert to the idl.Value form their type calls for. A bool takes
// true, false, 0 or 1; integers are range-checked; a double takes integer
// literals; a uuid must be 8-4-4-4-12 hex digits, optionally in braces, and
// is stored in lower case; an enum takes Enum.VALUE or an integer equal to
// one of its values (and, with a warning, Other.VALUE where Other is
// another enum without VALUE, as Apache Thrift accepts); lists and sets take [...] (or {} when empty); maps
// take {k: v}; structs take {"field": value}. A name of another constant
// copies its value (with Value.Const set) if the types are compatible.
// Map keys must be distinct (a repeated set element is dropped with a
// warning), and a union value may set at most one field.
package thriftidl
