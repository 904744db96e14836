#pragma once
/// Value: a loosely typed YAML/JSON value, used only where the Compose model is open-ended
/// (`x-*` extensions, driver options that may hold any scalar). Everything else in the
/// model is typed. Plain value; thread-compatible.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wharf::compose {

struct Value {
    enum class Kind { Null, Bool, Int, Float, String, Seq, Map };
    Kind kind = Kind::Null;
    bool b = false;
    int64_t i = 0;
    double f = 0;
    std::string s;              ///< String text; also the source text of Int/Float
    std::vector<Value> seq;
    std::map<std::string, Value> map;

    static Value null() { return {}; }
    static Value string(std::string v) { Value x; x.kind = Kind::String; x.s = std::move(v); return x; }
    static Value boolean(bool v) { Value x; x.kind = Kind::Bool; x.b = v; return x; }
    static Value integer(int64_t v) { Value x; x.kind = Kind::Int; x.i = v; x.s = std::to_string(v); return x; }

    bool operator==(const Value&) const = default;
};

/// `x-*` keys of an object, verbatim.
using Extensions = std::map<std::string, Value>;

} // namespace wharf::compose
