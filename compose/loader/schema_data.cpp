// The bytes of schema/compose.schema.json, embedded at build time (see compose/CMakeLists.txt)
// so the binary validates without reading files from the source tree.
#include <string_view>

extern "C" const char wharf_compose_schema_begin[];
extern "C" const char wharf_compose_schema_end[];

asm(".section .rodata\n"
    ".balign 16\n"
    ".global wharf_compose_schema_begin\n"
    "wharf_compose_schema_begin:\n"
    ".incbin \"" WHARF_SCHEMA_FILE "\"\n"
    ".global wharf_compose_schema_end\n"
    "wharf_compose_schema_end:\n"
    ".byte 0\n"
    ".previous\n");

namespace wharf::compose::loader {

std::string_view embedded_schema()
{
    return {wharf_compose_schema_begin, static_cast<size_t>(wharf_compose_schema_end - wharf_compose_schema_begin)};
}

} // namespace wharf::compose::loader
