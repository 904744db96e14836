#pragma once
/// Validation of a merged, interpolated compose tree against wharf's JSON Schema
/// (schema/compose.schema.json, embedded in the library). The validator implements the
/// subset of JSON Schema that file uses: type, properties, additionalProperties, maximum, pattern,
/// patternProperties, required, items, enum, oneOf, $ref, minimum, uniqueItems and
/// format "duration". Booleans and numbers accept strings that convert, as compose-go
/// casts interpolated values.
///
/// Errors name file:line:col, the attribute path and what was expected:
///   compose.yaml:12:5: services.web: additional property "prots" is not allowed (did you mean "ports"?)
///
/// The compiled schema is built once (thread-safe static); validation is pure.

#include "compose/loader/node.h"
#include "engine/base/result.h"

#include <memory>
#include <string_view>

namespace wharf::compose::loader {

/// The first schema violation found in `root` (depth-first, in source order), against the
/// embedded schema.
Result<void> validate_schema(const Node& root);

/// A schema compiled from JSON text; the tests use it to run the official compose-spec
/// schema beside ours. Also understands `pattern` and `maximum`. Immutable once created;
/// copies share the compiled form; validate() is thread-safe.
class SchemaValidator {
public:
    /// Fails (Invalid) on malformed JSON or an unknown `$ref`.
    static Result<SchemaValidator> create(std::string_view schema_json);
    Result<void> validate(const Node& root) const;

private:
    struct Compiled;
    std::shared_ptr<const Compiled> m_compiled;
};

/// The raw JSON text of the embedded schema.
std::string_view embedded_schema();

/// Edit distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

} // namespace wharf::compose::loader
