// Node tree helpers and the YAML reader. The reader drives libyaml's event parser (the C
// library go-yaml was ported from, so syntax errors read as docker compose's do) and builds
// the tree itself, so that every node keeps its mark, quoting and tag, and so that duplicate
// keys and alias bombs can be refused. libyaml was chosen over yaml-cpp for speed: on a
// 1,000-service file yaml-cpp's scanner alone took ~150 ms, libyaml takes a tenth of that.
#include "compose/loader/node.h"

#include <yaml.h>

#include <cstring>
#include <map>
#include <sstream>
#include <unordered_set>

namespace wharf::compose::loader {

std::shared_ptr<SourceFile> SourceFile::create(std::string name, std::string path, std::string base_dir,
    std::string text)
{
    auto f = std::make_shared<SourceFile>();
    f->name = std::move(name);
    f->path = std::move(path);
    f->base_dir = std::move(base_dir);
    f->text = std::move(text);
    f->line_starts.push_back(0);
    for (size_t i = 0; i < f->text.size(); ++i)
        if (f->text[i] == '\n')
            f->line_starts.push_back(i + 1);
    return f;
}

std::string SourceFile::line(int line_1based) const
{
    if (line_1based <= 0 || static_cast<size_t>(line_1based) > line_starts.size())
        return {};
    size_t start = line_starts[static_cast<size_t>(line_1based - 1)];
    size_t end = text.find('\n', start);
    std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!l.empty() && l.back() == '\r')
        l.pop_back();
    return l;
}

SourceLoc Mark::loc() const
{
    SourceLoc l;
    if (file) {
        l.file = file->name;
        l.line = line;
        l.column = column;
        l.line_text = file->line(line);
    }
    return l;
}

namespace {

bool is_int_text(std::string_view s)
{
    if (s.empty())
        return false;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i >= s.size())
        return false;
    if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
        bool hex = s[i + 1] == 'x';
        for (size_t j = i + 2; j < s.size(); ++j) {
            char c = s[j];
            bool ok = hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '7');
            if (!ok)
                return false;
        }
        return true;
    }
    for (size_t j = i; j < s.size(); ++j)
        if (!std::isdigit(static_cast<unsigned char>(s[j])))
            return false;
    return true;
}

bool is_float_text(std::string_view s)
{
    if (s == ".inf" || s == "-.inf" || s == "+.inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" ||
        s == ".NAN")
        return true;
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c)))
            digits = true;
        else if (c == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digits)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        if (i >= s.size())
            return false;
        for (; i < s.size(); ++i)
            if (!std::isdigit(static_cast<unsigned char>(s[i])))
                return false;
    }
    return i == s.size();
}

} // namespace

Node::Scalar Node::scalar_type() const
{
    if (kind == Kind::Null)
        return Scalar::Null;
    if (kind != Kind::Scalar || quoted)
        return Scalar::String;
    const std::string& t = text;
    if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL")
        return interpolated ? Scalar::String : Scalar::Null;
    if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE")
        return Scalar::Bool;
    if (is_int_text(t))
        return Scalar::Int;
    if (is_float_text(t))
        return Scalar::Float;
    return Scalar::String;
}

Node* Node::find(std::string_view key)
{
    for (auto& e : entries)
        if (e.key == key)
            return &e.value;
    return nullptr;
}

const Node* Node::find(std::string_view key) const
{
    for (const auto& e : entries)
        if (e.key == key)
            return &e.value;
    return nullptr;
}

Node& Node::set(const std::string& key, Node value)
{
    kind = Kind::Map;
    for (auto& e : entries)
        if (e.key == key) {
            e.value = std::move(value);
            return e.value;
        }
    Mark km = value.mark;
    entries.push_back(Entry{key, km, std::move(value)});
    return entries.back().value;
}

bool Node::erase(std::string_view key)
{
    for (auto it = entries.begin(); it != entries.end(); ++it)
        if (it->key == key) {
            entries.erase(it);
            return true;
        }
    return false;
}

Node Node::scalar(std::string text, Mark mark, bool quoted)
{
    Node n;
    n.kind = Kind::Scalar;
    n.text = std::move(text);
    n.quoted = quoted;
    n.mark = std::move(mark);
    return n;
}

Node Node::map(Mark mark)
{
    Node n;
    n.kind = Kind::Map;
    n.mark = std::move(mark);
    return n;
}

Node Node::seq(Mark mark)
{
    Node n;
    n.kind = Kind::Seq;
    n.mark = std::move(mark);
    return n;
}

Node Node::null(Mark mark)
{
    Node n;
    n.mark = std::move(mark);
    return n;
}

Error node_error(const Mark& mark, const std::string& path, std::string message)
{
    Error e(Errc::Invalid, std::move(message));
    if (!path.empty())
        e.context(path);
    if (mark.file)
        e.at(mark.loc());
    return e;
}

std::string describe(const Node& n)
{
    switch (n.kind) {
    case Node::Kind::Null: return "null";
    case Node::Kind::Seq: return "a list";
    case Node::Kind::Map: return "a mapping";
    case Node::Kind::Scalar: break;
    }
    switch (n.scalar_type()) {
    case Node::Scalar::Null: return "null";
    case Node::Scalar::Bool: return "a boolean";
    case Node::Scalar::Int: return "an integer";
    case Node::Scalar::Float: return "a number";
    case Node::Scalar::String: break;
    }
    return "a string";
}

namespace {

// Aliases are expanded by copying; beyond this many copied nodes the file is refused
// (the "billion laughs" shape), as compose-go refuses excessive aliasing.
constexpr size_t kMaxAliasNodes = 1'000'000;

size_t count_nodes(const Node& n)
{
    size_t c = 1;
    for (const auto& i : n.items)
        c += count_nodes(i);
    for (const auto& e : n.entries)
        c += count_nodes(e.value);
    return c;
}

NodeTag tag_of(const std::string& tag)
{
    if (tag == "!reset")
        return NodeTag::Reset;
    if (tag == "!override")
        return NodeTag::Override;
    return NodeTag::None;
}

class TreeBuilder {
public:
    explicit TreeBuilder(std::shared_ptr<const SourceFile> file) : m_file(std::move(file)) {}

    std::optional<Error> error;
    std::optional<Node> root;

    void on_alias(const Mark& mark, const std::string& anchor)
    {
        auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            fail(mark, "unknown anchor '" + anchor + "' referenced");
            return;
        }
        m_alias_nodes += count_nodes(it->second);
        if (m_alias_nodes > kMaxAliasNodes) {
            fail(mark, "excessive aliasing: the document expands to more than 1000000 nodes");
            return;
        }
        Node copy = it->second;
        complete(std::move(copy), {}, /*from_alias=*/true);
    }

    /// `plain`: an untagged plain scalar (its type is resolved from its text).
    void on_scalar(const Mark& mark, const std::string& tag, const std::string& anchor, std::string value,
        bool plain)
    {
        if (plain && (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")) {
            complete(Node::null(mark), anchor);
            return;
        }
        Node n = Node::scalar(std::move(value), mark, !plain);
        n.tag = tag_of(tag);
        if (n.tag != NodeTag::None) {
            n.quoted = false;
            if (n.text.empty() || n.text == "~" || n.text == "null")
                n.kind = Node::Kind::Null;
        } else if (tag == "tag:yaml.org,2002:str") {
            n.quoted = true;
        }
        complete(std::move(n), anchor);
    }

    void on_start(const Mark& mark, const std::string& tag, const std::string& anchor, bool is_map)
    {
        Node n = is_map ? Node::map(mark) : Node::seq(mark);
        n.tag = tag_of(tag);
        m_stack.push_back(Frame{std::move(n), anchor, {}, {}, false, {}, {}});
    }

    void on_end() { close(); }

private:
    struct Frame {
        Node node;
        std::string anchor;
        std::optional<Node> pending_key;
        std::vector<Node> merges;   // values of `<<` keys, applied when the map closes
        bool merge_key_pending = false;
        std::vector<size_t> merge_positions;
        std::unordered_set<std::string> keys; // for duplicate detection in O(1) (services: thousands)
    };

    void fail(const Mark& mark, std::string msg)
    {
        if (!error)
            error = node_error(mark, "", std::move(msg));
    }

    void close()
    {
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        if (f.node.kind == Node::Kind::Map && !f.merges.empty())
            apply_merges(f);
        complete(std::move(f.node), f.anchor);
    }

    // YAML merge keys: entries of the merged mappings that the mapping does not define itself.
    void apply_merges(Frame& f)
    {
        std::vector<Node::Entry> merged;
        auto has = [&](const std::string& k) {
            if (f.node.find(k))
                return true;
            for (const auto& e : merged)
                if (e.key == k)
                    return true;
            return false;
        };
        auto take = [&](const Node& src) {
            for (const auto& e : src.entries)
                if (!has(e.key))
                    merged.push_back(e);
        };
        for (const auto& m : f.merges) {
            if (m.kind == Node::Kind::Map) {
                take(m);
            } else if (m.kind == Node::Kind::Seq) {
                for (const auto& item : m.items) {
                    if (item.kind != Node::Kind::Map) {
                        fail(item.mark, "map merge requires map or sequence of maps as the value");
                        return;
                    }
                    take(item);
                }
            } else {
                fail(m.mark, "map merge requires map or sequence of maps as the value");
                return;
            }
        }
        // Merged keys go first, as if written where the `<<` was; explicit keys keep their order.
        merged.insert(merged.end(), std::make_move_iterator(f.node.entries.begin()),
            std::make_move_iterator(f.node.entries.end()));
        f.node.entries = std::move(merged);
    }

    void complete(Node n, const std::string& anchor, bool from_alias = false)
    {
        if (error)
            return;
        if (!anchor.empty() && !from_alias)
            m_anchors[anchor] = n;
        if (m_stack.empty()) {
            root = std::move(n);
            return;
        }
        Frame& top = m_stack.back();
        if (top.node.kind == Node::Kind::Seq) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (top.merge_key_pending) {
            top.merge_key_pending = false;
            top.merges.push_back(std::move(n));
            return;
        }
        if (!top.pending_key) {
            if (n.kind != Node::Kind::Scalar && n.kind != Node::Kind::Null) {
                fail(n.mark, "mapping keys must be strings");
                return;
            }
            if (n.kind == Node::Kind::Scalar && !n.quoted && n.text == "<<") {
                top.merge_key_pending = true;
                return;
            }
            top.pending_key = std::move(n);
            return;
        }
        Node key = std::move(*top.pending_key);
        top.pending_key.reset();
        if (!top.keys.insert(key.text).second) {
            int line = 0;
            for (const auto& e : top.node.entries)
                if (e.key == key.text)
                    line = e.key_mark.line;
            fail(key.mark, "mapping key \"" + key.text + "\" already defined at line " + std::to_string(line));
            return;
        }
        top.node.entries.push_back(Node::Entry{key.text, key.mark, std::move(n)});
    }

    std::shared_ptr<const SourceFile> m_file;
    std::vector<Frame> m_stack;
    std::map<std::string, Node> m_anchors;
    size_t m_alias_nodes = 0;
};

} // namespace

namespace {

/// libyaml's parser and its current event, released however the parse ends.
class EventReader {
public:
    explicit EventReader(const std::string& text)
    {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    }
    ~EventReader()
    {
        if (m_have_event)
            yaml_event_delete(&m_event);
        yaml_parser_delete(&m_parser);
    }
    EventReader(const EventReader&) = delete;
    EventReader& operator=(const EventReader&) = delete;

    /// The next event, or nullptr on a syntax error (see problem()).
    const yaml_event_t* next()
    {
        if (m_have_event)
            yaml_event_delete(&m_event);
        m_have_event = yaml_parser_parse(&m_parser, &m_event) != 0;
        return m_have_event ? &m_event : nullptr;
    }
    const yaml_parser_t& parser() const { return m_parser; }

private:
    yaml_parser_t m_parser{};
    yaml_event_t m_event{};
    bool m_have_event = false;
};

std::string text_of(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : std::string(); }

} // namespace

Result<Node> parse_yaml(const std::shared_ptr<const SourceFile>& file)
{
    TreeBuilder builder(file);
    EventReader reader(file->text);
    auto mark_of = [&](const yaml_mark_t& m) {
        return Mark{file, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
    };
    bool in_document = false;
    while (!builder.error) {
        const yaml_event_t* ev = reader.next();
        if (!ev) {
            // As go-yaml (docker compose) words it: "yaml: <problem>", without libyaml's
            // context, at the problem's position.
            const yaml_parser_t& p = reader.parser();
            std::string msg = p.problem ? p.problem : "unknown syntax error";
            return node_error(mark_of(p.problem_mark), "", "yaml: " + msg);
        }
        const Mark mark = mark_of(ev->start_mark);
        switch (ev->type) {
        case YAML_STREAM_END_EVENT: goto done;
        case YAML_DOCUMENT_START_EVENT: in_document = true; break;
        case YAML_DOCUMENT_END_EVENT: goto done; // the first document only, as docker compose
        case YAML_ALIAS_EVENT: builder.on_alias(mark, text_of(ev->data.alias.anchor)); break;
        case YAML_SCALAR_EVENT: {
            const auto& sc = ev->data.scalar;
            std::string tag = text_of(sc.tag);
            bool plain = sc.style == YAML_PLAIN_SCALAR_STYLE && tag.empty();
            builder.on_scalar(mark, tag, text_of(sc.anchor),
                std::string(reinterpret_cast<const char*>(sc.value), sc.length), plain);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
            builder.on_start(mark, text_of(ev->data.sequence_start.tag), text_of(ev->data.sequence_start.anchor), false);
            break;
        case YAML_MAPPING_START_EVENT:
            builder.on_start(mark, text_of(ev->data.mapping_start.tag), text_of(ev->data.mapping_start.anchor), true);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: builder.on_end(); break;
        default: break;
        }
    }
done:
    (void)in_document;
    if (builder.error)
        return std::move(*builder.error);
    if (!builder.root || builder.root->is_null())
        return Node::map(Mark{file, 1, 1});
    return std::move(*builder.root);
}

} // namespace wharf::compose::loader
