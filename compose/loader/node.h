#pragma once
/// Node: the loader's YAML tree. Every node remembers where it came from (file, line,
/// column) so that any phase — interpolation, merge, schema validation, canonicalisation —
/// can report `compose.yaml:12:5: services.web.ports[0]: …` with a caret. Nodes exist only
/// inside compose/loader: the result of loading is a typed compose::Project.
///
/// Values only; thread-compatible. SourceFile objects are shared (shared_ptr) and immutable.

#include "engine/base/error.h"
#include "engine/base/result.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::compose::loader {

/// A compose file as read: its display name (as given on the command line or discovered),
/// its absolute path, the directory relative paths in it are resolved against, and its text.
struct SourceFile {
    std::string name;       ///< what errors print ("compose.yaml", "-" for stdin)
    std::string path;       ///< absolute path ("" for stdin)
    std::string base_dir;   ///< relative paths in this file resolve against this directory
    std::string text;
    std::vector<size_t> line_starts; ///< offsets of each line in text

    static std::shared_ptr<SourceFile> create(std::string name, std::string path, std::string base_dir,
        std::string text);
    std::string line(int line_1based) const;
};

struct Mark {
    std::shared_ptr<const SourceFile> file;
    int line = 0;   ///< 1-based; 0 = unknown (synthesised node)
    int column = 0; ///< 1-based
    SourceLoc loc() const;
};

enum class NodeTag { None, Reset, Override };

struct Node {
    enum class Kind { Null, Scalar, Seq, Map };
    struct Entry;

    Kind kind = Kind::Null;
    std::string text;        ///< scalar text (after interpolation)
    bool quoted = false;     ///< quoted/block scalar: always a string, never a number/bool/null
    bool interpolated = false; ///< text came (partly) from a variable: re-typed from its text
    NodeTag tag = NodeTag::None;
    Mark mark;
    std::vector<Node> items;   ///< Seq
    std::vector<Entry> entries; ///< Map, in source order, keys unique

    /// The resolved scalar type of a scalar, by YAML 1.2 core rules (as go-yaml v3 decodes).
    enum class Scalar { Null, Bool, Int, Float, String };
    Scalar scalar_type() const;

    bool is_null() const { return kind == Kind::Null || (kind == Kind::Scalar && scalar_type() == Scalar::Null); }
    bool is_map() const { return kind == Kind::Map; }
    bool is_seq() const { return kind == Kind::Seq; }
    bool is_scalar() const { return kind == Kind::Scalar; }

    Node* find(std::string_view key);
    const Node* find(std::string_view key) const;
    /// Sets key (replacing an existing entry in place, else appending).
    Node& set(const std::string& key, Node value);
    bool erase(std::string_view key);

    static Node scalar(std::string text, Mark mark = {}, bool quoted = true);
    static Node map(Mark mark = {});
    static Node seq(Mark mark = {});
    static Node null(Mark mark = {});
};

struct Node::Entry {
    std::string key;
    Mark key_mark;
    Node value;
};

/// An Invalid error located at `mark` with the attribute `path` as its first frame.
Error node_error(const Mark& mark, const std::string& path, std::string message);

/// Human name of a node's type for messages: "a string", "a number", "a list", "a mapping"…
std::string describe(const Node& n);

/// Parses the first YAML document of `file` into a Node tree: anchors and aliases
/// expanded (bounded, so an alias bomb fails instead of eating memory), `<<` merge keys
/// applied, `!reset`/`!override` tags kept, duplicate keys rejected. An empty document is
/// an empty mapping. Fails with file:line:col on YAML syntax errors.
Result<Node> parse_yaml(const std::shared_ptr<const SourceFile>& file);

} // namespace wharf::compose::loader
